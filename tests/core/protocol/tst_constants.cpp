#include <QTest>

#include "core/protocol/constants.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;

// The socket paths are computed in one place: the helper listens where the clients look.
class tst_Constants : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void socketPaths()
    {
        QCOMPARE(Protocol::defaultSocketPath(), u"/run/nimbus/control.sock"_s);
        QCOMPARE(Protocol::clientSocketPath(QString()), Protocol::defaultSocketPath());
        QCOMPARE(Protocol::clientSocketPath(u"/tmp/x.sock"_s), u"/tmp/x.sock"_s);
        QCOMPARE(Protocol::networkSocketPath(u"office"_s), u"/run/nimbus/office.sock"_s);
    }
};

QTEST_GUILESS_MAIN(tst_Constants)
#include "tst_constants.moc"
