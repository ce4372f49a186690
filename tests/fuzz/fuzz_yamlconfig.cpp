/// libFuzzer harness: parseYamlConfig (VpnCloud 2.x YAML, spec §9.2) on any text. Errors must be one-line
/// "bad-config" messages; an accepted configuration must export (toYaml) to a file that reads back as the same
/// configuration, and the export without secrets must really carry none.
#include "core/config/yamlconfig.h"
#include "tests/fuzz/fuzzsupport.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;
using namespace Nimbus::Fuzz;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    initDeterminism();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView yaml(reinterpret_cast<const char *>(data), qsizetype(size));
    const Result<NetworkConfig> config = parseYamlConfig(yaml);
    if (!config) {
        check(config.error().code == u"bad-config"_s, "errors have the code bad-config");
        check(!config.error().message.isEmpty() && !config.error().message.contains(u'\n'), "errors are one line");
        return 0;
    }
    (void)describeConfig(*config);
    (void)validateForRun(*config);

    const Result<NetworkConfig> again = parseYamlConfig(toYaml(*config, true));
    check(again.ok(), "an exported configuration parses");
    check(*again == *config, "an exported configuration reads back as the same configuration");

    const Result<NetworkConfig> withoutSecrets = parseYamlConfig(toYaml(*config, false));
    check(withoutSecrets.ok(), "an export without secrets parses");
    check(!withoutSecrets->password && !withoutSecrets->privateKey && !withoutSecrets->beaconPassword,
        "an export without secrets has none");
    return 0;
}
