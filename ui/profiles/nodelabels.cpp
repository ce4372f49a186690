#include "ui/profiles/nodelabels.h"

#include <algorithm>

#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

QStringList normalized(QStringList claims)
{
    claims.removeAll(QString());
    claims.sort();
    claims.removeDuplicates();
    return claims;
}

} // namespace

NodeLabels::NodeLabels(QSettings &settings, QObject *parent) : QObject(parent), m_settings(settings)
{
    load();
}

NodeLabels::~NodeLabels() = default;

qsizetype NodeLabels::find(const QString &profile,
    const QString &nodeId,
    const QString &address,
    const QStringList &claims,
    bool byClaims) const
{
    if (!address.isEmpty()) {
        for (qsizetype i = 0; i < m_labels.size(); ++i) {
            if (m_labels.at(i).profile == profile && m_labels.at(i).address == address)
                return i;
        }
    }
    if (!nodeId.isEmpty()) {
        for (qsizetype i = 0; i < m_labels.size(); ++i) {
            if (m_labels.at(i).profile == profile && m_labels.at(i).nodeId == nodeId)
                return i;
        }
    }
    const QStringList wanted = normalized(claims);
    if (!byClaims || wanted.isEmpty())
        return -1;
    qsizetype found = -1;
    for (qsizetype i = 0; i < m_labels.size(); ++i) {
        if (m_labels.at(i).profile != profile || m_labels.at(i).claims != wanted)
            continue;
        if (found >= 0)
            return -1; // ambiguous: several nodes claim the same ranges
        found = i;
    }
    return found;
}

QString NodeLabels::labelFor(
    const QString &profile, const QString &nodeId, const QString &address, const QStringList &claims) const
{
    const qsizetype i = find(profile, nodeId, address, claims);
    return i >= 0 ? m_labels.at(i).label : QString();
}

void NodeLabels::setLabel(const QString &profile,
    const QString &nodeId,
    const QString &address,
    const QStringList &claims,
    const QString &label)
{
    const qsizetype i = find(profile, nodeId, address, claims, false);
    const QString text = label.simplified();
    if (text.isEmpty()) {
        if (i < 0)
            return;
        m_labels.removeAt(i);
    } else {
        const NodeLabel entry {profile, text, address, normalized(claims), nodeId};
        if (i >= 0 && m_labels.at(i) == entry)
            return;
        if (i >= 0)
            m_labels[i] = entry;
        else
            m_labels.append(entry);
    }
    write();
    Q_EMIT changed();
}

QList<NodeLabel> NodeLabels::labels(const QString &profile) const
{
    if (profile.isEmpty())
        return m_labels;
    QList<NodeLabel> out;
    std::copy_if(m_labels.cbegin(), m_labels.cend(), std::back_inserter(out), [&](const NodeLabel &l) {
        return l.profile == profile;
    });
    return out;
}

void NodeLabels::renameProfile(const QString &from, const QString &to)
{
    bool touched = false;
    for (qsizetype i = m_labels.size() - 1; i >= 0; --i) {
        if (m_labels.at(i).profile != from)
            continue;
        touched = true;
        if (to.isEmpty())
            m_labels.removeAt(i);
        else
            m_labels[i].profile = to;
    }
    if (!touched)
        return;
    write();
    Q_EMIT changed();
}

void NodeLabels::load()
{
    m_labels.clear();
    const int count = m_settings.beginReadArray(u"nodeLabels"_s);
    for (int i = 0; i < count; ++i) {
        m_settings.setArrayIndex(i);
        NodeLabel l;
        l.profile = m_settings.value(u"profile"_s).toString();
        l.label = m_settings.value(u"label"_s).toString();
        l.address = m_settings.value(u"address"_s).toString();
        l.claims = normalized(m_settings.value(u"claims"_s).toStringList());
        l.nodeId = m_settings.value(u"nodeId"_s).toString();
        if (!l.profile.isEmpty() && !l.label.isEmpty() && (!l.address.isEmpty() || !l.claims.isEmpty()))
            m_labels.append(l);
    }
    m_settings.endArray();
}

void NodeLabels::write()
{
    m_settings.remove(u"nodeLabels"_s);
    m_settings.beginWriteArray(u"nodeLabels"_s, static_cast<int>(m_labels.size()));
    for (qsizetype i = 0; i < m_labels.size(); ++i) {
        const NodeLabel &l = m_labels.at(i);
        m_settings.setArrayIndex(static_cast<int>(i));
        m_settings.setValue(u"profile"_s, l.profile);
        m_settings.setValue(u"label"_s, l.label);
        m_settings.setValue(u"address"_s, l.address);
        m_settings.setValue(u"claims"_s, l.claims);
        m_settings.setValue(u"nodeId"_s, l.nodeId);
    }
    m_settings.endArray();
    m_settings.sync();
}

} // namespace Nimbus
