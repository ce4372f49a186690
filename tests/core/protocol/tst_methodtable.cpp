#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include "core/protocol/methodtable.h"
#include "core/protocol/role.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus::Protocol;

Q_DECLARE_METATYPE(Nimbus::Protocol::Role)

namespace
{

/// The table of docs/control-protocol.md, written out cell by cell.
struct Cell {
    const char *method;
    bool observer;
    bool operatorRole;
    bool admin;
};

constexpr Cell kExpected[] = {
    {"hello", true, true, true},
    {"status", true, true, true},
    {"peers.list", true, true, true},
    {"claims.list", true, true, true},
    {"events.subscribe", true, true, true},
    {"stats", true, true, true},
    {"profiles.validate", true, true, true},
    {"profiles.import", true, true, true},
    {"profiles.export", true, true, true},
    {"networks.connect", false, true, true},
    {"networks.disconnect", false, true, true},
    {"keys.generate", false, true, true},
    {"helper.shutdown", false, false, true},
};

} // namespace

class tst_MethodTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyCell_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<Role>("role");
        QTest::addColumn<bool>("allowed");
        for (const Cell &cell : kExpected) {
            const QString m = QString::fromLatin1(cell.method);
            QTest::addRow("%s observer", cell.method) << m << Role::Observer << cell.observer;
            QTest::addRow("%s operator", cell.method) << m << Role::Operator << cell.operatorRole;
            QTest::addRow("%s admin", cell.method) << m << Role::Admin << cell.admin;
        }
    }

    void everyCell()
    {
        QFETCH(QString, method);
        QFETCH(Role, role);
        QFETCH(bool, allowed);
        QCOMPARE(isAllowed(method, role), allowed);
        const std::optional<Method> m = methodFromName(method);
        QVERIFY(m.has_value());
        QCOMPARE(isAllowed(*m, role), allowed);
        QCOMPARE(methodName(*m), method);
        QCOMPARE(allowedMethods(role).contains(method), allowed);
    }

    void tableCoversEveryMethod()
    {
        QStringList names;
        for (const Method m : allMethods())
            names.append(methodName(m));
        QStringList expected;
        for (const Cell &cell : kExpected)
            expected.append(QString::fromLatin1(cell.method));
        QCOMPARE(names, expected);
    }

    void documentTableMatchesCode()
    {
        QFile file(qEnvironmentVariable("NIMBUS_SOURCE_DIR") + u"/docs/control-protocol.md"_s);
        QVERIFY2(file.open(QIODevice::ReadOnly), "docs/control-protocol.md not found");
        const QString doc = QString::fromUtf8(file.readAll());
        const qsizetype start = doc.indexOf(u"| method | observer | operator | admin |"_s);
        QVERIFY(start >= 0);
        const QStringList lines = doc.mid(start).split(u'\n');
        QSet<QString> seen;
        for (const QString &line : lines.mid(2)) {
            if (!line.startsWith(u'|'))
                break;
            const QStringList cols = line.split(u'|');
            QCOMPARE(cols.size(), 6);
            const bool cells[3]
                = {cols[2].trimmed() == u"yes"_s, cols[3].trimmed() == u"yes"_s, cols[4].trimmed() == u"yes"_s};
            QRegularExpressionMatchIterator it = QRegularExpression(u"`([a-z.]+)`"_s).globalMatch(cols[1]);
            while (it.hasNext()) {
                const QString method = it.next().captured(1);
                seen.insert(method);
                QVERIFY2(methodFromName(method).has_value(), qPrintable(method));
                for (int r = 0; r < 3; ++r)
                    QVERIFY2(isAllowed(method, kAllRoles[r]) == cells[r],
                        qPrintable(method + u' ' + roleName(kAllRoles[r])));
            }
        }
        QCOMPARE(seen.size(), allMethods().size());
    }

    void unknownMethodsAreNeverAllowed_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("empty") << QString();
        QTest::newRow("unknown") << u"networks.delete"_s;
        QTest::newRow("case") << u"Status"_s;
        QTest::newRow("prefix") << u"networks"_s;
        QTest::newRow("space") << u"status "_s;
    }

    void unknownMethodsAreNeverAllowed()
    {
        QFETCH(QString, method);
        QVERIFY(!methodFromName(method).has_value());
        for (const Role role : kAllRoles)
            QVERIFY(!isAllowed(method, role));
    }

    void roleNames()
    {
        QCOMPARE(roleName(Role::Observer), u"observer"_s);
        QCOMPARE(roleName(Role::Operator), u"operator"_s);
        QCOMPARE(roleName(Role::Admin), u"admin"_s);
        for (const Role role : kAllRoles)
            QCOMPARE(roleFromName(roleName(role)), std::optional<Role>(role));
        QVERIFY(!roleFromName(u"root").has_value());
    }

    void privilegedProfileKeys_data()
    {
        QTest::addColumn<QJsonObject>("profile");
        QTest::addColumn<QStringList>("keys");
        QTest::newRow("plain") << QJsonObject {{u"name"_s, u"office"_s}, {u"ip"_s, u"10.0.0.1/24"_s}} << QStringList {};
        QTest::newRow("empty values") << QJsonObject {{u"ifup"_s, u""_s},
            {u"hooks"_s, QJsonObject {}},
            {u"user"_s, QJsonValue::Null}}
                                      << QStringList {};
        QTest::newRow("ifup") << QJsonObject {{u"ifup"_s, u"ip link"_s}} << QStringList {u"ifup"_s};
        QTest::newRow("many") << QJsonObject {{u"statsFile"_s, u"/tmp/x"_s},
            {u"user"_s, u"root"_s},
            {u"hooks"_s, QJsonObject {{u"peer_connected"_s, u"x"_s}}}}
                              << QStringList {u"hooks"_s, u"statsFile"_s, u"user"_s};
        QTest::newRow("beacon") << QJsonObject {{u"beacon"_s,
            QJsonObject {{u"store"_s, u"/tmp/b"_s}, {u"interval"_s, 300}}}}
                                << QStringList {u"beacon.store"_s};
        QTest::newRow("device path") << QJsonObject {{u"devicePath"_s, u"/dev/x"_s},
            {u"device"_s, QJsonObject {{u"path"_s, u"/dev/y"_s}}}}
                                     << QStringList {u"device.path"_s, u"devicePath"_s};
    }

    void privilegedProfileKeys()
    {
        QFETCH(QJsonObject, profile);
        QFETCH(QStringList, keys);
        QCOMPARE(Nimbus::Protocol::privilegedProfileKeys(profile), keys);
    }
};

QTEST_GUILESS_MAIN(tst_MethodTable)
#include "tst_methodtable.moc"
