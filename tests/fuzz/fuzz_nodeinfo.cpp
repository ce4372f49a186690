/// libFuzzer harness: NodeInfo::decode (spec §5.3) on any bytes, and the encode/decode round trip of what it
/// accepts: the encoding of a decoded NodeInfo decodes to the same node id, claims, peer timeout and peers, and
/// re-encodes to the same bytes.
#include "core/wire/nodeinfo.h"
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
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const Result<NodeInfo> info = NodeInfo::decode(input);
    if (!info) {
        check(info.error().code == u"bad-node-info"_s && !info.error().message.isEmpty(), "errors are explained");
        return 0;
    }
    const QByteArray encoded = info->encode();
    const Result<NodeInfo> again = NodeInfo::decode(encoded);
    check(again.ok(), "an encoded NodeInfo decodes");
    check(again->encode() == encoded, "re-encoding a decoded encoding gives the same bytes");
    check(again->nodeId == info->nodeId, "the node id survives the round trip");
    check(again->claims == info->claims, "the claims survive the round trip");
    check(again->peerTimeout == info->peerTimeout, "the peer timeout survives the round trip");
    check(again->peers.size() == info->peers.size(), "every peer entry survives the round trip");
    for (qsizetype i = 0; i < info->peers.size(); ++i) {
        check(again->peers[i].nodeId == info->peers[i].nodeId, "peer node ids survive the round trip");
        check(again->peers[i].addresses.size() == info->peers[i].addresses.size(), "peer addresses survive");
        for (const SocketAddress &address : info->peers[i].addresses)
            check(again->peers[i].addresses.contains(address), "peer addresses survive the round trip");
    }
    check(again->addresses.size() == info->addresses.size(), "own addresses survive the round trip");
    for (const Range &claim : info->claims) {
        (void)claim.toString();
        (void)claim.toDisplayString();
        (void)claim.matches(QByteArray(4, '\0'));
    }
    for (const SocketAddress &address : info->addresses)
        (void)address.toString();
    check(nodeIdFromHex(nodeIdToHex(info->nodeId)) == info->nodeId, "node ids round-trip through hex");
    return 0;
}
