#include <cstdio>

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QTextStream>
#include <QTimer>

#include "client/ctl/nimbusctl.h"

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QTextStream err(stderr);
    Nimbus::NimbusCtl ctl(out, err);
    QObject::connect(&ctl, &Nimbus::NimbusCtl::finished, &app, [](int code) { QCoreApplication::exit(code); });
    QTimer::singleShot(0, &ctl, [&ctl, &app] { ctl.start(app.arguments(), QProcessEnvironment::systemEnvironment()); });
    return app.exec();
}
