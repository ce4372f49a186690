#pragma once

#include <QTest>

#include "core/config/yamlconfig.h"

// For the tests of core/config: QCOMPARE and QFETCH of whole NetworkConfigs.
Q_DECLARE_METATYPE(Nimbus::NetworkConfig)

namespace Nimbus
{
/// Lets QCOMPARE print configs (secrets are shown as "(set)" only).
inline char *toString(const NetworkConfig &config)
{
    return qstrdup(describeConfig(config).toUtf8().constData());
}
} // namespace Nimbus
