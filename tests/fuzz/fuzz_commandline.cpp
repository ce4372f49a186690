/// libFuzzer harness: the nimbus-helper command line (VpnCloud flags, spec §9.3) and its merge with a
/// configuration file. Errors must be one-line "bad-usage" messages; a merged configuration must export to a
/// VpnCloud YAML file that reads back as the same settings.
///
/// Input: a flags byte (bit 0: PASSWORD, bit 1: NIMBUS_PASSWORD, bit 2: PRIVATE_KEY set in the environment), then
/// the arguments separated by NUL bytes (at most 64).
#include "core/config/commandline.h"
#include "core/config/yamlconfig.h"
#include "tests/fuzz/fuzzsupport.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;
using namespace Nimbus::Fuzz;

namespace
{

constexpr qsizetype kMaxArguments = 64;

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
    QHash<QString, QString> env;
    if (flags & 0x01)
        env.insert(u"PASSWORD"_s, u"env-secret"_s);
    if (flags & 0x02)
        env.insert(u"NIMBUS_PASSWORD"_s, u"nimbus-secret"_s);
    if (flags & 0x04)
        env.insert(u"PRIVATE_KEY"_s, u"gl7NxDMlseGFwPinpMcAmi4zwJWFV9WqqfDld3Tz2Lg"_s);
    QStringList args {u"nimbus-helper"_s};
    const QByteArrayView rest = input.rest();
    for (qsizetype start = 0; !rest.isEmpty() && start <= rest.size() && args.size() <= kMaxArguments;) {
        qsizetype end = rest.indexOf('\0', start);
        if (end < 0)
            end = rest.size();
        args.append(QString::fromUtf8(rest.sliced(start, end - start)));
        start = end + 1;
    }

    const Result<CommandLine> cli = parseCommandLine(args, env);
    if (!cli) {
        check(cli.error().code == u"bad-usage"_s, "errors have the code bad-usage");
        check(!cli.error().message.isEmpty() && !cli.error().message.contains(u'\n'), "errors are one line");
        return 0;
    }
    const Result<NetworkConfig> merged = mergeConfig(NetworkConfig {}, *cli);
    if (!merged) {
        check(merged.error().code == u"bad-usage"_s, "merge errors have the code bad-usage");
        return 0;
    }
    (void)describeConfig(*merged);
    Result<NetworkConfig> again = parseYamlConfig(toYaml(*merged, true));
    check(again.ok(), "a merged configuration exports to a file that parses");
    // The Nimbus extras are not part of the file format.
    again->name = merged->name;
    again->balance = merged->balance;
    again->fastFailover = merged->fastFailover;
    again->controlSocket = merged->controlSocket;
    check(*again == *merged, "a merged configuration reads back as the same settings");
    return 0;
}
