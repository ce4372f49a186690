#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include "core/protocol/constants.h"
#include "helper/control/controlserver.h"
#include "tests/fakes/helper/fakecontrolbackend.h"
#include "tests/support/controlsupport.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;
using namespace Nimbus::Test;
using Protocol::Role;

class tst_ControlEvents : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<FakeControlBackend> m_backend;
    std::unique_ptr<ControlServer> m_server;

    std::unique_ptr<FrameClient> client()
    {
        auto c = std::make_unique<FrameClient>();
        if (!c->connectTo(m_path) || !c->hello().contains(u"result"_s))
            return nullptr;
        return c;
    }

    /// The session of the client that connected \a index-th.
    ControlSession *session(int index) const { return m_server->sessions().value(index); }

    static QJsonObject subscribe(FrameClient &c) { return c.call(u"events.subscribe"_s).value(u"result"_s).toObject(); }

    /// Reads what has arrived without waiting.
    static QList<QJsonObject> readAvailable(FrameClient &c)
    {
        QList<QJsonObject> out;
        c.decoder.feed(c.socket.readAll());
        while (std::optional<Result<QJsonObject>> frame = c.decoder.next()) {
            if (frame->ok())
                out.append(frame->value());
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"control.sock"_s);
    }

    void init()
    {
        m_backend = std::make_unique<FakeControlBackend>();
        m_server = std::make_unique<ControlServer>(*m_backend);
        m_server->setIdentityResolver([](qintptr) {
            return std::optional<ControlCaller>(ControlCaller {Role::Observer, 1000, 1000, 1});
        });
        QVERIFY(m_server->listen(m_path).ok());
    }

    void cleanup()
    {
        m_server.reset();
        m_backend.reset();
    }

    void eventsCarryConsecutiveSeq()
    {
        auto c = client();
        QVERIFY(c);
        const QJsonObject subscribed = subscribe(*c);
        QCOMPARE(subscribed.value(u"seq"_s).toInteger(), 0);
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < 100; ++i)
            m_server->publishEvent(u"stats"_s, QJsonObject {{u"network"_s, u"office"_s}, {u"rxBytes"_s, i}});
        for (int i = 0; i < 100; ++i) {
            const std::optional<QJsonObject> e = c->next();
            QVERIFY(e);
            QCOMPARE(e->value(u"event"_s).toString(), u"stats"_s);
            QCOMPARE(e->value(u"seq"_s).toInteger(), i + 1);
            QVERIFY(e->value(u"time"_s).toInteger() >= before);
            QCOMPARE(e->value(u"data"_s).toObject().value(u"rxBytes"_s).toInt(), i);
        }
        // Subscribing again reports the last seq; the next event follows it.
        QCOMPARE(subscribe(*c).value(u"seq"_s).toInteger(), 100);
        m_server->publishEvent(u"log"_s, {});
        QCOMPARE(c->next()->value(u"seq"_s).toInteger(), 101);
    }

    void seqIsPerConnection()
    {
        auto a = client();
        QVERIFY(a);
        subscribe(*a);
        m_server->publishEvent(u"log"_s, {});
        m_server->publishEvent(u"log"_s, {});
        auto b = client();
        QVERIFY(b);
        QCOMPARE(subscribe(*b).value(u"seq"_s).toInteger(), 0);
        m_server->publishEvent(u"log"_s, {});
        QCOMPARE(a->next()->value(u"seq"_s).toInteger(), 1);
        QCOMPARE(a->next()->value(u"seq"_s).toInteger(), 2);
        QCOMPARE(a->next()->value(u"seq"_s).toInteger(), 3);
        QCOMPARE(b->next()->value(u"seq"_s).toInteger(), 1);
    }

    void nonSubscribersGetNoEvents()
    {
        auto c = client();
        QVERIFY(c);
        m_server->publishEvent(u"log"_s, QJsonObject {{u"message"_s, u"x"_s}});
        // The next frame is the answer to status, not an event.
        const QJsonObject answer = c->call(u"status"_s);
        QVERIFY(answer.contains(u"result"_s));
        QVERIFY(c->events.isEmpty());
        QCOMPARE(session(0)->queuedEventCount(), 0);
    }

    void snapshot()
    {
        for (int i = 0; i < 250; ++i)
            m_backend->recent.append(
                QJsonObject {{u"event"_s, u"log"_s}, {u"time"_s, i}, {u"data"_s, QJsonObject {{u"n"_s, i}}}});
        auto c = client();
        QVERIFY(c);
        const QJsonObject snapshot = subscribe(*c).value(u"snapshot"_s).toObject();
        QCOMPARE(snapshot.value(u"status"_s).toObject(), m_backend->status());
        QCOMPARE(snapshot.value(u"peers"_s).toArray(), m_backend->peers({}).value());
        QCOMPARE(snapshot.value(u"claims"_s).toArray(), m_backend->claims({}).value());
        const QJsonArray events = snapshot.value(u"events"_s).toArray();
        QCOMPARE(events.size(), Protocol::kMaxSnapshotEvents);
        QCOMPARE(events.first().toObject().value(u"data"_s).toObject().value(u"n"_s).toInt(), 50);
        QCOMPARE(events.last().toObject().value(u"data"_s).toObject().value(u"n"_s).toInt(), 249);
    }

    void slowSubscriberIsBoundedAndGetsResync()
    {
        auto fast = client();
        auto slow = client();
        QVERIFY(fast && slow);
        subscribe(*fast);
        subscribe(*slow);
        ControlSession *slowSession = session(1);
        QVERIFY(slowSession);
        // From now on the slow client takes at most one byte into its own buffer, so the kernel buffer and then
        // the helper's queue fill up.
        slow->socket.setReadBufferSize(1);

        const QJsonObject data {{u"network"_s, u"office"_s}, {u"message"_s, QString(1000, u'm')}};
        constexpr int kEvents = 6000;
        int maxQueued = 0;
        qsizetype maxBytes = 0;
        QList<QJsonObject> fastEvents;
        for (int i = 0; i < kEvents; ++i) {
            m_server->publishEvent(u"log"_s, data);
            maxQueued = qMax(maxQueued, slowSession->queuedEventCount());
            maxBytes = qMax(maxBytes, slowSession->queuedEventBytes());
            if (i % 16 == 0) {
                QCoreApplication::processEvents();
                fastEvents += readAvailable(*fast);
            }
        }
        QVERIFY2(maxQueued <= Protocol::kMaxQueuedEvents, qPrintable(QString::number(maxQueued)));
        QVERIFY(maxBytes <= Protocol::kMaxQueuedEventBytes);
        // The queue did fill (so the limit, not luck, kept it bounded), then was cleared for resync.
        QVERIFY(maxQueued >= Protocol::kMaxQueuedEvents - 1);
        QVERIFY(!slowSession->isSubscribed());
        QVERIFY(slowSession->queuedEventCount() <= 1);

        // The fast subscriber got every event, in order.
        while (fastEvents.size() < kEvents) {
            const std::optional<QJsonObject> e = fast->next();
            QVERIFY(e);
            fastEvents.append(*e);
        }
        for (int i = 0; i < kEvents; ++i)
            QCOMPARE(fastEvents.at(i).value(u"seq"_s).toInteger(), i + 1);

        // Now the slow client reads: consecutive seqs, then resync, then nothing more.
        slow->socket.setReadBufferSize(0);
        qint64 expected = 1;
        QJsonObject last;
        while (true) {
            const std::optional<QJsonObject> e = slow->next();
            QVERIFY(e);
            QCOMPARE(e->value(u"seq"_s).toInteger(), expected);
            ++expected;
            if (e->value(u"event"_s).toString() == u"resync"_s) {
                last = *e;
                break;
            }
            QCOMPARE(e->value(u"event"_s).toString(), u"log"_s);
        }
        const qint64 resyncSeq = last.value(u"seq"_s).toInteger();
        QVERIFY(resyncSeq < kEvents);
        m_server->publishEvent(u"log"_s, {});
        QVERIFY(slow->call(u"status"_s).contains(u"result"_s));
        QVERIFY(slow->events.isEmpty());

        // Subscribing again resumes right after resync.
        QCOMPARE(subscribe(*slow).value(u"seq"_s).toInteger(), resyncSeq);
        m_server->publishEvent(u"log"_s, {});
        QCOMPARE(slow->next()->value(u"seq"_s).toInteger(), resyncSeq + 1);
    }

    void byteLimitAlsoBounds()
    {
        m_server->setEventQueueLimits(100000, 64 * 1024);
        auto slow = client();
        QVERIFY(slow);
        subscribe(*slow);
        slow->socket.setReadBufferSize(1);
        ControlSession *s = session(0);
        const QJsonObject data {{u"message"_s, QString(4000, u'x')}};
        qsizetype maxBytes = 0;
        for (int i = 0; i < 2000 && s->isSubscribed(); ++i) {
            m_server->publishEvent(u"log"_s, data);
            maxBytes = qMax(maxBytes, s->queuedEventBytes());
            if (i % 8 == 0)
                QCoreApplication::processEvents();
        }
        QVERIFY(!s->isSubscribed());
        QVERIFY(maxBytes <= 64 * 1024);
        QVERIFY(maxBytes > 32 * 1024);
    }

    void clientThatStopsReadingAnswersDoesNotGrowTheHelper()
    {
        auto c = client();
        QVERIFY(c);
        c->socket.setReadBufferSize(1);
        // Pipeline many status requests without reading: the session stops reading once answers pile up.
        QByteArray burst;
        for (int i = 0; i < 20000; ++i)
            burst += Protocol::encodeFrame(QJsonObject {{u"id"_s, i + 10}, {u"method"_s, u"stats"_s}});
        c->socket.write(burst);
        for (int i = 0; i < 200; ++i)
            QCoreApplication::processEvents();
        // Everything still works for a second client meanwhile.
        auto other = client();
        QVERIFY(other);
        QVERIFY(other->call(u"status"_s).contains(u"result"_s));
        // And the first one gets every answer in order once it reads.
        c->socket.setReadBufferSize(0);
        for (int i = 0; i < 20000; ++i) {
            const std::optional<QJsonObject> a = c->next();
            QVERIFY(a);
            QCOMPARE(a->value(u"id"_s).toInteger(), i + 10);
        }
    }
};

QTEST_GUILESS_MAIN(tst_ControlEvents)
#include "tst_controlevents.moc"
