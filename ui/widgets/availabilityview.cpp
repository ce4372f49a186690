#include "ui/widgets/availabilityview.h"

#include <QFrame>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

#include "ui/common/format.h"
#include "ui/models/availabilitymodel.h"
#include "ui/widgets/outagetimeline.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

QString healthText(const AvailabilityNode &n, qint64 nowMs)
{
    const QString heard = n.lastHeard > 0
        ? AvailabilityView::tr("last heard %1 ago").arg(Format::duration(qMax<qint64>(0, nowMs - n.lastHeard)))
        : QString();
    QString text;
    switch (n.health) {
    case AvailabilityNode::Health::Serving:
    case AvailabilityNode::Health::Up:
        text = AvailabilityView::tr("up");
        break;
    case AvailabilityNode::Health::Suspect:
        text = AvailabilityView::tr("suspect: probing");
        break;
    case AvailabilityNode::Health::Down:
        return AvailabilityView::tr("down: not a peer any more");
    case AvailabilityNode::Health::Local:
        return AvailabilityView::tr("this computer");
    }
    return heard.isEmpty() ? text : AvailabilityView::tr("%1, %2").arg(text, heard);
}

QColor healthColor(AvailabilityNode::Health health)
{
    switch (health) {
    case AvailabilityNode::Health::Serving:
    case AvailabilityNode::Health::Up:
    case AvailabilityNode::Health::Local:
        return QColor(0x26, 0xa2, 0x69);
    case AvailabilityNode::Health::Suspect:
        return QColor(0xb3, 0x5c, 0x00);
    case AvailabilityNode::Health::Down:
        return QColor(0xc0, 0x1c, 0x28);
    }
    return {};
}

/// Why a standby comes where it does: its claim's prefix, and since when it announced it.
QString whyText(const AvailabilityNode &n)
{
    if (n.since > 0)
        return AvailabilityView::tr("/%1 claim, announced %2").arg(n.prefixLength).arg(Format::timestamp(n.since));
    return AvailabilityView::tr("/%1 claim").arg(n.prefixLength);
}

} // namespace

AvailabilityView::AvailabilityView(AvailabilityModel &model, QWidget *parent)
    : QScrollArea(parent), m_model(model), m_content(new QWidget), m_layout(new QVBoxLayout(m_content))
{
    setAccessibleName(tr("Availability"));
    setAccessibleDescription(tr("Every address several nodes claim or this client uses: the serving node, the "
                                "standbys in the order they would take over, their health and the last hour's "
                                "outages."));
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    m_layout->setContentsMargins(4, 4, 4, 4);
    m_empty = new QLabel(tr("No address is shared by several nodes or used by this client yet."));
    m_empty->setWordWrap(true);
    m_layout->addWidget(m_empty);
    m_layout->addStretch(1);
    setWidget(m_content);
    connect(&m_model, &AvailabilityModel::changed, this, &AvailabilityView::refresh);
    // "Last heard" and the strips move with the clock.
    m_clockTimer = new QTimer(this);
    m_clockTimer->setInterval(15'000);
    connect(m_clockTimer, &QTimer::timeout, this, [this] {
        if (isVisible()) {
            m_model.refresh();
            refresh();
        }
    });
    m_clockTimer->start();
    refresh();
}

AvailabilityView::~AvailabilityView() = default;

void AvailabilityView::setFilterText(const QString &text)
{
    if (m_filter == text)
        return;
    m_filter = text;
    refresh();
}

AvailabilityView::Card AvailabilityView::makeCard(const AvailabilityEntry &entry)
{
    Card card;
    card.key = entry.key();
    auto *frame = new QFrame;
    frame->setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(frame);
    card.frame = frame;
    card.header = new QLabel;
    card.header->setTextFormat(Qt::RichText);
    card.header->setWordWrap(true);
    card.header->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    card.header->setFocusPolicy(Qt::TabFocus);
    card.nodes = new QLabel;
    card.nodes->setTextFormat(Qt::RichText);
    card.nodes->setWordWrap(true);
    card.nodes->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    card.nodes->setFocusPolicy(Qt::TabFocus);
    card.timeline = new OutageTimeline;
    layout->addWidget(card.header);
    layout->addWidget(card.nodes);
    layout->addWidget(card.timeline);
    return card;
}

void AvailabilityView::fillCard(Card &card, const AvailabilityEntry &entry)
{
    const qint64 nowMs = m_model.now();
    const AvailabilityNode *server = nullptr;
    for (const AvailabilityNode &n : entry.nodes) {
        if (n.serving)
            server = &n;
    }
    const QString served = server ? tr("served by %1").arg(server->name) : tr("nobody serves it");
    QString header = u"<b>"_s + entry.range.toHtmlEscaped() + u"</b> · "_s + entry.network.toHtmlEscaped() + u" · "_s
        + served.toHtmlEscaped();
    if (entry.used)
        header += u" · "_s + tr("used by this client").toHtmlEscaped();
    card.header->setText(header);
    card.header->setAccessibleName(tr("%1 on %2, %3").arg(entry.range, entry.network, served));
    card.frame->setAccessibleName(card.header->accessibleName());

    QString html = u"<table cellspacing=\"0\" cellpadding=\"3\"><tr><th align=\"left\">"_s + tr("Role").toHtmlEscaped()
        + u"</th><th align=\"left\">"_s + tr("Node").toHtmlEscaped() + u"</th><th align=\"left\">"_s
        + tr("Why in this place").toHtmlEscaped() + u"</th><th align=\"left\">"_s + tr("Health").toHtmlEscaped()
        + u"</th></tr>"_s;
    QStringList spoken;
    int standby = 0;
    for (const AvailabilityNode &n : entry.nodes) {
        const QString role = n.serving ? tr("Serving") : tr("Standby %1").arg(++standby);
        const QString why = whyText(n);
        const QString health = healthText(n, nowMs);
        html += u"<tr><td>"_s + role.toHtmlEscaped() + u"</td><td title=\""_s + n.toolTip.toHtmlEscaped() + u"\">"_s
            + n.name.toHtmlEscaped() + u"</td><td>"_s + why.toHtmlEscaped() + u"</td><td><font color=\""_s
            + healthColor(n.health).name() + u"\">"_s + health.toHtmlEscaped() + u"</font></td></tr>"_s;
        spoken.append(tr("%1: %2, %3, %4").arg(role, n.name, why, health));
    }
    html += u"</table>"_s;
    if (entry.nodes.isEmpty()) {
        html = tr("No live node claims it: traffic to it is dropped.").toHtmlEscaped();
        spoken.append(tr("No live node claims it: traffic to it is dropped."));
    }
    card.nodes->setText(html);
    card.nodes->setAccessibleName(tr("Nodes claiming %1").arg(entry.range));
    card.nodes->setAccessibleDescription(spoken.join(u"; "_s));
    card.timeline->setOutages(entry.range, entry.outages, nowMs, server || entry.local);
}

void AvailabilityView::refresh()
{
    QList<AvailabilityEntry> shown;
    for (const AvailabilityEntry &e : m_model.entries()) {
        if (e.matches(m_filter))
            shown.append(e);
    }
    QStringList keys;
    for (const AvailabilityEntry &e : std::as_const(shown))
        keys.append(e.key());
    if (keys != shownKeys()) {
        // Different cards: build them anew (the common update, same cards, only refills them below).
        for (const Card &card : std::as_const(m_cards))
            delete card.frame;
        m_cards.clear();
        for (const AvailabilityEntry &e : std::as_const(shown)) {
            Card card = makeCard(e);
            m_layout->insertWidget(m_layout->count() - 1, card.frame);
            m_cards.append(card);
        }
    }
    for (qsizetype i = 0; i < shown.size(); ++i)
        fillCard(m_cards[i], shown.at(i));
    m_empty->setVisible(m_cards.isEmpty());
    if (m_cards.isEmpty() && !m_filter.isEmpty())
        m_empty->setText(tr("No shared or used address matches the filter."));
    else
        m_empty->setText(tr("No address is shared by several nodes or used by this client yet."));
}

QStringList AvailabilityView::shownKeys() const
{
    QStringList keys;
    for (const Card &card : m_cards)
        keys.append(card.key);
    return keys;
}

const AvailabilityView::Card *AvailabilityView::findCard(const QString &network, const QString &range) const
{
    const QString key = network + u'\x1f' + range;
    for (const Card &card : m_cards) {
        if (card.key == key)
            return &card;
    }
    return nullptr;
}

QWidget *AvailabilityView::card(const QString &network, const QString &range) const
{
    const Card *c = findCard(network, range);
    return c ? c->frame : nullptr;
}

OutageTimeline *AvailabilityView::timeline(const QString &network, const QString &range) const
{
    const Card *c = findCard(network, range);
    return c ? c->timeline : nullptr;
}

QString AvailabilityView::nodesText(const QString &network, const QString &range) const
{
    const Card *c = findCard(network, range);
    return c ? c->nodes->accessibleDescription() : QString();
}

} // namespace Nimbus
