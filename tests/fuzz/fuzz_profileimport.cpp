/// libFuzzer harness: the profile side of the configuration, as the helper runs it for profiles.import,
/// profiles.validate and networks.connect on what any control client sends.
///
/// Input: a flags byte, then the text. Flag bit 0 clear: the text is a VpnCloud YAML file for
/// importVpnCloudYaml (bit 1: with a profile name): it must fail exactly when parseYamlConfig() does, and what it
/// imports must be a valid profile without secrets. Bit 0 set: the text is JSON; an object is a Profile:
/// profileFromJson() must fail exactly when validateProfile() reports a problem, and an accepted profile must
/// survive profileToJson() and export to a YAML file that parses.
#include <QJsonDocument>

#include "core/config/profile.h"
#include "core/config/yamlconfig.h"
#include "tests/fuzz/fuzzsupport.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;
using namespace Nimbus::Fuzz;

namespace
{

void importYaml(QByteArrayView yaml, const QString &name)
{
    const Result<ImportResult> imported = importVpnCloudYaml(yaml, name);
    const Result<NetworkConfig> parsed = parseYamlConfig(yaml);
    check(imported.ok() == parsed.ok(), "import fails exactly when the YAML is invalid");
    if (!imported)
        return;
    const QJsonObject profile = imported->profile.toJson();
    check(validateProfile(profile).isEmpty(), "an imported profile is valid");
    check(profileFromJson(profile).ok(), "an imported profile converts");
    check(!profile.contains(u"password"_s) && !profile.contains(u"privateKey"_s),
        "secrets travel beside the profile, never in it");
    check(imported->secret.has_value() == (parsed->password.has_value() || parsed->privateKey.has_value()),
        "the file's secret is handed back exactly when it had one");
    (void)profileNeedsAdmin(*parsed);
}

void checkProfile(const QJsonObject &profile)
{
    const QList<FieldError> errors = validateProfile(profile);
    const Result<NetworkConfig> config = profileFromJson(profile);
    check(config.ok() == errors.isEmpty(), "profileFromJson fails exactly when validateProfile reports a problem");
    for (const FieldError &error : errors)
        check(!error.field.isEmpty() && !error.message.isEmpty(), "problems name a field and say what is wrong");
    if (!config)
        return;
    const QJsonObject json = profileToJson(*config);
    check(validateProfile(json).isEmpty(), "profileToJson gives a valid profile");
    const Result<NetworkConfig> again = profileFromJson(json);
    check(again.ok() && *again == *config, "profiles survive profileToJson/profileFromJson");
    check(parseYamlConfig(toYaml(*config, true)).ok(), "a valid profile exports to a VpnCloud file that parses");
    (void)profileNeedsAdmin(*config);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    initDeterminism();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    InputReader input(data, size);
    const quint8 flags = input.u8();
    const QByteArrayView text = input.rest();
    if (!(flags & 0x01)) {
        importYaml(text, (flags & 0x02) ? u"office"_s : QString());
        return 0;
    }
    const QJsonDocument document = QJsonDocument::fromJson(text.toByteArray());
    if (document.isObject())
        checkProfile(document.object());
    return 0;
}
