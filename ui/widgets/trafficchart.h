#pragma once

#include <QWidget>

namespace Nimbus
{

class TrafficHistory;

/// A small line chart of the last minute's received and sent rates.
class TrafficChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrafficChart)

public:
    explicit TrafficChart(const TrafficHistory &history, QWidget *parent = nullptr);
    ~TrafficChart() override;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void updateAccessibleText();

    const TrafficHistory &m_history;
};

} // namespace Nimbus
