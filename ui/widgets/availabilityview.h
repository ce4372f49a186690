#pragma once

#include <QList>
#include <QScrollArea>

class QLabel;
class QTimer;
class QVBoxLayout;

namespace Nimbus
{

class AvailabilityModel;
struct AvailabilityEntry;
class OutageTimeline;

/// The availability of every shared or used address, one card each: who serves it, the standbys in the order they
/// would take over and why, each node's health, and the last hour's outages (OutageTimeline). Scrolls; cards grow
/// with their claimants (2 to 50), nothing overlaps. Filtered like the tables (setFilterText).
class AvailabilityView final : public QScrollArea
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AvailabilityView)

public:
    explicit AvailabilityView(AvailabilityModel &model, QWidget *parent = nullptr);
    ~AvailabilityView() override;

    /// The cards shown now (network + range keys, in order).
    QStringList shownKeys() const;
    /// The card of `network`/`range`, or null.
    QWidget *card(const QString &network, const QString &range) const;
    OutageTimeline *timeline(const QString &network, const QString &range) const;
    /// The node table of a card as text (for tests and screen readers).
    QString nodesText(const QString &network, const QString &range) const;

public Q_SLOTS:
    void setFilterText(const QString &text);
    /// Shows the model's entries again (the model changed, or time passed).
    void refresh();

private:
    struct Card {
        QString key;
        QWidget *frame = nullptr;
        QLabel *header = nullptr;
        QLabel *nodes = nullptr;
        OutageTimeline *timeline = nullptr;
    };

    Card makeCard(const AvailabilityEntry &entry);
    void fillCard(Card &card, const AvailabilityEntry &entry);
    const Card *findCard(const QString &network, const QString &range) const;

    AvailabilityModel &m_model;
    QString m_filter;
    QWidget *m_content = nullptr;
    QVBoxLayout *m_layout = nullptr;
    QLabel *m_empty = nullptr;
    QList<Card> m_cards;
    QTimer *m_clockTimer = nullptr;
};

} // namespace Nimbus
