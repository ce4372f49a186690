#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>
#include <QtEndian>

#include "core/protocol/constants.h"
#include "core/protocol/framecodec.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;
using namespace Nimbus::Protocol;

namespace
{

QByteArray header(quint32 length)
{
    QByteArray h(4, Qt::Uninitialized);
    qToBigEndian<quint32>(length, h.data());
    return h;
}

QByteArray rawFrame(const QByteArray &payload)
{
    return QByteArray(header(quint32(payload.size())) + payload);
}

/// Drains the decoder; BAD_JSON frames appear as an object {"error": "..."}.
QList<QJsonObject> drain(FrameDecoder &decoder)
{
    QList<QJsonObject> out;
    while (std::optional<Result<QJsonObject>> frame = decoder.next()) {
        if (frame->ok())
            out.append(frame->value());
        else
            out.append(QJsonObject {{u"error"_s, frame->error().code}});
    }
    return out;
}

/// A JSON object whose compact encoding is exactly \a size bytes.
QJsonObject objectOfSize(qsizetype size)
{
    // {"a":"..."} is 8 bytes plus the string.
    return QJsonObject {{u"a"_s, QString(size - 8, u'x')}};
}

QList<QJsonObject> sampleObjects()
{
    return {
        QJsonObject {
            {u"id"_s, 1}, {u"method"_s, u"hello"_s}, {u"params"_s, QJsonObject {{u"versions"_s, QJsonArray {1}}}}},
        QJsonObject {},
        QJsonObject {{u"event"_s, u"log"_s}, {u"data"_s, QJsonObject {{u"message"_s, u"Grüße, 世界 🌍"_s}}}},
    };
}

} // namespace

class tst_FrameCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encodeHasBigEndianLength()
    {
        const QByteArray frame = encodeFrame(QJsonObject {{u"a"_s, 1}});
        QCOMPARE(frame, QByteArray(header(7) + QByteArray(R"({"a":1})")));
    }

    void roundTrip_data()
    {
        QTest::addColumn<QJsonObject>("object");
        QTest::newRow("empty") << QJsonObject {};
        QTest::newRow("request") << sampleObjects().at(0);
        QTest::newRow("unicode") << sampleObjects().at(2);
        QTest::newRow("nested") << QJsonObject {
            {u"a"_s, QJsonArray {1, 2.5, true, QJsonValue::Null, QJsonObject {{u"b"_s, QJsonArray {}}}}}};
        QTest::newRow("exactly max") << objectOfSize(kMaxFrameSize);
    }

    void roundTrip()
    {
        QFETCH(QJsonObject, object);
        const QByteArray frame = encodeFrame(object);
        QVERIFY(!frame.isEmpty());
        QCOMPARE(qFromBigEndian<quint32>(frame.constData()), quint32(frame.size() - kFrameHeaderSize));
        FrameDecoder decoder;
        decoder.feed(frame);
        const QList<QJsonObject> decoded = drain(decoder);
        QCOMPARE(decoded.size(), 1);
        QCOMPARE(decoded.first(), object);
        QVERIFY(!decoder.failed());
        QCOMPARE(decoder.bufferedBytes(), 0);
    }

    void encodeRefusesOversize()
    {
        QVERIFY(encodeFrame(objectOfSize(kMaxFrameSize + 1)).isEmpty());
        QVERIFY(!encodeFrame(objectOfSize(kMaxFrameSize)).isEmpty());
    }

    void splitAtEveryByteBoundary()
    {
        QByteArray stream;
        const QList<QJsonObject> objects = sampleObjects();
        for (const QJsonObject &o : objects)
            stream += encodeFrame(o);
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            FrameDecoder decoder;
            decoder.feed(QByteArrayView(stream).first(cut));
            QList<QJsonObject> decoded = drain(decoder);
            decoder.feed(QByteArrayView(stream).sliced(cut));
            decoded += drain(decoder);
            QCOMPARE(decoded, objects);
            QCOMPARE(decoder.bufferedBytes(), 0);
        }
    }

    void splitTwiceAtEveryBoundary()
    {
        QByteArray stream;
        const QList<QJsonObject> objects = sampleObjects();
        for (const QJsonObject &o : objects)
            stream += encodeFrame(o);
        for (qsizetype a = 0; a <= stream.size(); ++a) {
            for (qsizetype b = a; b <= stream.size(); ++b) {
                FrameDecoder decoder;
                decoder.feed(QByteArrayView(stream).first(a));
                QList<QJsonObject> decoded = drain(decoder);
                decoder.feed(QByteArrayView(stream).sliced(a, b - a));
                decoded += drain(decoder);
                decoder.feed(QByteArrayView(stream).sliced(b));
                decoded += drain(decoder);
                QCOMPARE(decoded, objects);
            }
        }
    }

    void byteByByte()
    {
        QByteArray stream;
        QList<QJsonObject> objects;
        for (int i = 0; i < 50; ++i) {
            objects.append(QJsonObject {{u"id"_s, i + 1}, {u"method"_s, u"status"_s}});
            stream += encodeFrame(objects.last());
        }
        FrameDecoder decoder;
        QList<QJsonObject> decoded;
        for (const char c : std::as_const(stream)) {
            decoder.feed(QByteArrayView(&c, 1));
            decoded += drain(decoder);
        }
        QCOMPARE(decoded, objects);
    }

    void mergedFramesInOneFeed()
    {
        QByteArray stream;
        QList<QJsonObject> objects;
        for (int i = 0; i < 1000; ++i) {
            objects.append(QJsonObject {{u"seq"_s, i}});
            stream += encodeFrame(objects.last());
        }
        FrameDecoder decoder;
        decoder.feed(stream);
        QCOMPARE(drain(decoder), objects);
    }

    void zeroLengthFails()
    {
        FrameDecoder decoder;
        decoder.feed(
            QByteArray(encodeFrame(QJsonObject {{u"a"_s, 1}}) + header(0) + encodeFrame(QJsonObject {{u"b"_s, 2}})));
        const QList<QJsonObject> decoded = drain(decoder);
        QCOMPARE(decoded, (QList<QJsonObject> {QJsonObject {{u"a"_s, 1}}}));
        QVERIFY(decoder.failed());
        QVERIFY(decoder.errorString().contains(u"empty"_s));
        // Failure is final.
        decoder.feed(encodeFrame(QJsonObject {{u"c"_s, 3}}));
        QVERIFY(!decoder.next());
        QCOMPARE(decoder.bufferedBytes(), 0);
    }

    void zeroLengthAloneFails()
    {
        FrameDecoder decoder;
        decoder.feed(header(0));
        QVERIFY(decoder.failed());
        QVERIFY(!decoder.next());
    }

    void oversizeFailsOnTheHeader_data()
    {
        QTest::addColumn<quint32>("length");
        QTest::newRow("max+1") << quint32(kMaxFrameSize + 1);
        QTest::newRow("16 MiB") << quint32(16 * 1024 * 1024);
        QTest::newRow("0xffffffff") << quint32(0xffffffffu);
    }

    void oversizeFailsOnTheHeader()
    {
        QFETCH(quint32, length);
        FrameDecoder decoder;
        // The header arrives in two pieces; the decoder fails as soon as it is complete, before any body.
        decoder.feed(header(length).first(2));
        QVERIFY(!decoder.failed());
        decoder.feed(header(length).sliced(2));
        QVERIFY(decoder.failed());
        QVERIFY(decoder.errorString().contains(u"larger"_s));
        decoder.feed(QByteArray(4096, 'x'));
        QCOMPARE(decoder.bufferedBytes(), 0);
        QVERIFY(!decoder.next());
    }

    void oversizeAfterGoodFrame()
    {
        FrameDecoder decoder;
        decoder.feed(QByteArray(encodeFrame(QJsonObject {{u"a"_s, 1}}) + header(quint32(kMaxFrameSize + 1))));
        QCOMPARE(drain(decoder).size(), 1);
        QVERIFY(decoder.failed());
    }

    void exactlyMaxIsAccepted()
    {
        FrameDecoder decoder;
        const QByteArray frame = encodeFrame(objectOfSize(kMaxFrameSize));
        QCOMPARE(frame.size(), kMaxFrameSize + kFrameHeaderSize);
        decoder.feed(QByteArrayView(frame).first(1000));
        QVERIFY(!decoder.next());
        decoder.feed(QByteArrayView(frame).sliced(1000));
        QCOMPARE(drain(decoder).size(), 1);
        QVERIFY(!decoder.failed());
    }

    void badJsonKeepsGoing_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("garbage") << QByteArray("not json");
        QTest::newRow("truncated") << QByteArray(R"({"id": 1, "method": )");
        QTest::newRow("trailing garbage") << QByteArray(R"({"id": 1} x)");
        QTest::newRow("array") << QByteArray("[1,2,3]");
        QTest::newRow("number") << QByteArray("42");
        QTest::newRow("string") << QByteArray(R"("hello")");
        QTest::newRow("null") << QByteArray("null");
        QTest::newRow("invalid utf8") << QByteArray("{\"a\":\"\xff\xfe\"}");
        QTest::newRow("nul byte") << QByteArray("{\"a\":1}\0", 8);
        QTest::newRow("whitespace") << QByteArray("   ");
    }

    void badJsonKeepsGoing()
    {
        QFETCH(QByteArray, payload);
        FrameDecoder decoder;
        decoder.feed(QByteArray(rawFrame(payload) + encodeFrame(QJsonObject {{u"ok"_s, true}})));
        std::optional<Result<QJsonObject>> first = decoder.next();
        QVERIFY(first.has_value());
        QVERIFY(!first->ok());
        QCOMPARE(first->error().code, u"BAD_JSON"_s);
        QVERIFY(!first->error().message.isEmpty());
        std::optional<Result<QJsonObject>> second = decoder.next();
        QVERIFY(second.has_value());
        QVERIFY(second->ok());
        QCOMPARE(second->value(), (QJsonObject {{u"ok"_s, true}}));
        QVERIFY(!decoder.failed());
    }

    void randomInputNeverCrashes()
    {
        QRandomGenerator rng(20240601);
        for (int round = 0; round < 2000; ++round) {
            FrameDecoder decoder;
            QByteArray bytes(rng.bounded(64), Qt::Uninitialized);
            for (char &c : bytes)
                c = char(rng.bounded(256));
            // Small random lengths so that some frames complete.
            if (bytes.size() >= 4 && rng.bounded(2) == 0)
                qToBigEndian<quint32>(quint32(rng.bounded(bytes.size() - 3)), bytes.data());
            qsizetype pos = 0;
            int frames = 0;
            while (pos < bytes.size()) {
                const qsizetype n = qMin(bytes.size() - pos, qsizetype(rng.bounded(1, 9)));
                decoder.feed(QByteArrayView(bytes).sliced(pos, n));
                pos += n;
                frames += int(drain(decoder).size());
            }
            QVERIFY(frames >= 0);
            QVERIFY(decoder.bufferedBytes() <= bytes.size());
            if (decoder.failed())
                QCOMPARE(decoder.bufferedBytes(), 0);
        }
    }
};

QTEST_GUILESS_MAIN(tst_FrameCodec)
#include "tst_framecodec.moc"
