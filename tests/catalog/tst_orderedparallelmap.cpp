// OrderedParallelMap: results in order whatever order the workers finish in, never more than
// its window computed ahead of the taker, a worker's exception thrown at its own index, and a
// map given up part way that waits for its workers instead of hanging or leaving them running.

#include "orderedparallelmap.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using paperlab::OrderedParallelMap;

class TestOrderedParallelMap : public QObject {
    Q_OBJECT
private slots:
    void inOrder_data();
    void inOrder();
    void neverMoreThanWindowAhead();
    void exceptionAtItsIndex();
    void givenUpPartWay();
    void movesOnlyResults();
};

void TestOrderedParallelMap::inOrder_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("window");
    QTest::newRow("nothing") << 0 << 8;
    QTest::newRow("one") << 1 << 8;
    QTest::newRow("fewer than the window") << 5 << 64;
    QTest::newRow("window of one") << 50 << 1;
    QTest::newRow("many through a small window") << 3000 << 7;
}

void TestOrderedParallelMap::inOrder()
{
    QFETCH(int, count);
    QFETCH(int, window);
    // Early indexes sleep longest, so later ones finish first whenever there are two workers.
    OrderedParallelMap<int> map(
        count,
        [count](qsizetype i) {
            if (i < 4)
                std::this_thread::sleep_for(std::chrono::milliseconds(4 - i));
            return int(i) * 3 + (count & 1);
        },
        window);
    QCOMPARE(map.count(), qsizetype(count));
    for (int i = 0; i < count; ++i)
        QCOMPARE(map.takeNext(), i * 3 + (count & 1));
}

void TestOrderedParallelMap::neverMoreThanWindowAhead()
{
    constexpr int kWindow = 4;
    std::atomic<int> taken{0}, started{0}, worstLead{0};
    OrderedParallelMap<int> map(
        200,
        [&](qsizetype i) {
            ++started;
            const int lead = int(i) - taken.load();
            int worst = worstLead.load();
            while (lead > worst && !worstLead.compare_exchange_weak(worst, lead)) {
            }
            return int(i);
        },
        kWindow);
    // A slow taker: the workers have every chance to run ahead.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    QVERIFY2(started.load() <= kWindow, qPrintable(QString::number(started.load())));
    for (int i = 0; i < 200; ++i) {
        QCOMPARE(map.takeNext(), i);
        ++taken;
    }
    // Index i starts only once index i - window has been taken.
    QVERIFY2(worstLead.load() <= kWindow, qPrintable(QString::number(worstLead.load())));
}

void TestOrderedParallelMap::exceptionAtItsIndex()
{
    OrderedParallelMap<int> map(20, [](qsizetype i) {
        if (i == 7)
            throw std::runtime_error("seven");
        return int(i);
    });
    for (int i = 0; i < 7; ++i)
        QCOMPARE(map.takeNext(), i);
    try {
        map.takeNext();
        QFAIL("index 7 threw");
    } catch (const std::runtime_error &e) {
        QCOMPARE(QByteArray(e.what()), QByteArray("seven"));
    }
    QCOMPARE(map.takeNext(), 8); // the others still come
}

void TestOrderedParallelMap::givenUpPartWay()
{
    std::atomic<int> running{0}, ran{0};
    {
        OrderedParallelMap<int> map(
            100000,
            [&](qsizetype i) {
                ++running;
                std::this_thread::sleep_for(std::chrono::microseconds(200));
                ++ran;
                --running;
                return int(i);
            },
            16);
        QCOMPARE(map.takeNext(), 0);
        QCOMPARE(map.takeNext(), 1);
    } // destroyed with most of its work not started
    QCOMPARE(running.load(), 0);
    QVERIFY2(ran.load() < 100, qPrintable(QString::number(ran.load())));
}

void TestOrderedParallelMap::movesOnlyResults()
{
    OrderedParallelMap<std::unique_ptr<QString>> map(
        300, [](qsizetype i) { return std::make_unique<QString>(QString::number(i)); }, 5);
    for (int i = 0; i < 300; ++i)
        QCOMPARE(*map.takeNext(), QString::number(i));
}

QTEST_GUILESS_MAIN(TestOrderedParallelMap)
#include "tst_orderedparallelmap.moc"
