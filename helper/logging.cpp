#include "helper/logging.h"

#include <cstdio>

#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>
#include <QMutex>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

QFile *g_logFile = nullptr;
QMutex g_mutex;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "DEBUG";
    case QtInfoMsg:
        return "INFO";
    case QtWarningMsg:
        return "WARN";
    case QtCriticalMsg:
    case QtFatalMsg:
        return "ERROR";
    }
    return "INFO";
}

void handler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    const QByteArray line = QByteArray(levelName(type)) + " - " + message.toUtf8() + '\n';
    QMutexLocker lock(&g_mutex);
    fwrite(line.constData(), 1, size_t(line.size()), stdout);
    fflush(stdout);
    if (g_logFile) {
        g_logFile->write(QDateTime::currentDateTime().toString(u"yyyy-MM-dd HH:mm:ss"_s).toUtf8() + " - " + line);
        g_logFile->flush();
    }
}

} // namespace

QString installLogging(const LogOptions &options)
{
    if (options.verbose)
        QLoggingCategory::setFilterRules(u"nimbus.*.debug=true"_s);
    else if (options.quiet)
        QLoggingCategory::setFilterRules(u"*.info=false\n*.warning=false\n*.debug=false"_s);
    else
        QLoggingCategory::setFilterRules(u"*.debug=false"_s);
    if (!options.file.isEmpty()) {
        g_logFile = new QFile(options.file);
        if (!g_logFile->open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
            const QString error = u"cannot open log file %1: %2"_s.arg(options.file, g_logFile->errorString());
            delete g_logFile;
            g_logFile = nullptr;
            return error;
        }
    }
    qInstallMessageHandler(handler);
    return {};
}

} // namespace Nimbus
