// normalizeVenue on every venue spelling the five seeds use, plus the usual variants.

#include "../../catalog/venue.h"

#include <QTest>

using namespace paperlab;

class TestVenue : public QObject {
    Q_OBJECT

private slots:
    void normalize_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("year");

        // Issue spellings.
        QTest::newRow("ICML'25") << "ICML'25"
                                 << "ICML" << 2025;
        QTest::newRow("ICML 2025") << "ICML 2025"
                                   << "ICML" << 2025;
        QTest::newRow("2025-ICML") << "2025-ICML"
                                   << "ICML" << 2025;
        QTest::newRow("ICLR Poster") << "ICLR Poster"
                                     << "ICLR" << 0;
        QTest::newRow("ASPLOS25") << "ASPLOS25"
                                  << "ASPLOS" << 2025;
        QTest::newRow("sosp24") << "sosp24"
                                << "SOSP" << 2024;
        QTest::newRow("Eurosys'25") << "Eurosys'25"
                                    << "EuroSys" << 2025;
        QTest::newRow("FAST25") << "FAST25"
                                << "FAST" << 2025;
        // Seed 000.
        QTest::newRow("MLsys'25") << "MLsys'25"
                                  << "MLSys" << 2025;
        QTest::newRow("SIGCOMM'24") << "SIGCOMM'24"
                                    << "SIGCOMM" << 2024;
        QTest::newRow("MM'25") << "MM'25"
                               << "MM" << 2025;
        QTest::newRow("CVPR'25") << "CVPR'25"
                                 << "CVPR" << 2025;
        QTest::newRow("bare lower-case") << "eurosys"
                                         << "EuroSys" << 0;
        // Seed 001.
        QTest::newRow("arxiv") << "arxiv"
                               << "arXiv" << 0;
        QTest::newRow("ppopp24") << "ppopp24"
                                 << "PPoPP" << 2024;
        QTest::newRow("SC24") << "SC24"
                              << "SC" << 2024;
        QTest::newRow("FAST") << "FAST"
                              << "FAST" << 0;
        QTest::newRow("ACL") << "ACL"
                             << "ACL" << 0;
        QTest::newRow("date as year") << "2024-2-20"
                                      << "" << 2024;
        // Seed 003.
        QTest::newRow("COLM 2024") << "COLM 2024"
                                   << "COLM" << 2024;
        QTest::newRow("ArXiv with date") << "ArXiv Jul 21 2024"
                                         << "arXiv" << 2024;
        QTest::newRow("Arxiv, spaces") << "  Arxiv Aug 11 2024  "
                                       << "arXiv" << 2024;
        QTest::newRow("OSDI 2024") << "OSDI 2024"
                                   << "OSDI" << 2024;
        // Seed 004 badges (YEAR-VENUE as the badge spells them).
        QTest::newRow("badge workshop") << "2023-AutoML_Workshop"
                                        << "AutoML Workshop" << 2023;
        QTest::newRow("badge ICML_Workshop") << "2024-ICML_Workshop"
                                             << "ICML Workshop" << 2024;
        QTest::newRow("badge CVPR_workshop") << "2023-CVPR_workshop"
                                             << "CVPR Workshop" << 2023;
        QTest::newRow("badge KDD_Workshop") << "2023-KDD_Workshop"
                                            << "KDD Workshop" << 2023;
        QTest::newRow("badge ICLR_oral") << "2024-ICLR_oral"
                                         << "ICLR" << 2024;
        QTest::newRow("badge Coling") << "2025-Coling"
                                      << "COLING" << 2025;
        QTest::newRow("badge github") << "2023-github"
                                      << "GitHub" << 2023;
        QTest::newRow("badge long name") << "2022-Neuromorphic_Computing_and_Engineering"
                                         << "Neuromorphic Computing and Engineering" << 2022;
        QTest::newRow("badge unknown short") << "2023-TC"
                                             << "TC" << 2023;
        QTest::newRow("badge NeurIPS") << "2024-NeurIPS"
                                       << "NeurIPS" << 2024;
        // Other spellings people use.
        QTest::newRow("NeurIPS'23 Workshop") << "NeurIPS'23 Workshop"
                                             << "NeurIPS Workshop" << 2023;
        QTest::newRow("curly apostrophe") << QString::fromUtf8("ICML’24") << "ICML" << 2024;
        QTest::newRow("glued four digits") << "ECCV2024"
                                           << "ECCV" << 2024;
        QTest::newRow("NIPS alias") << "NIPS 2017"
                                    << "NeurIPS" << 2017;
        QTest::newRow("empty") << ""
                               << "" << 0;
        QTest::newRow("only spaces") << "   "
                                     << "" << 0;
    }

    void normalize()
    {
        QFETCH(QString, raw);
        QFETCH(QString, name);
        QFETCH(int, year);

        const Venue v = normalizeVenue(raw);
        QCOMPARE(v.name, name);
        QCOMPARE(v.year, year);
    }

    void knownNames_data()
    {
        QTest::addColumn<QString>("word");
        QTest::addColumn<bool>("known");
        QTest::newRow("eurosys") << "eurosys" << true;
        QTest::newRow("ICML") << "ICML" << true;
        QTest::newRow("Quantization") << "Quantization" << false;
        QTest::newRow("empty") << "" << false;
    }

    void knownNames()
    {
        QFETCH(QString, word);
        QFETCH(bool, known);
        QCOMPARE(isKnownVenueName(word), known);
    }
};

QTEST_GUILESS_MAIN(TestVenue)
#include "tst_venue.moc"
