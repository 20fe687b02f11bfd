#include "syntheticlibrary.h"

#include <QDir>
#include <QFile>
#include <QStringList>

#include <algorithm>
#include <random>
#include <vector>

namespace paperlab::bench {
namespace {

const QStringList kWords = {
    "attention",    "sparse",       "quantization", "cache",    "decoding", "speculative", "kernel",      "efficient",
    "long-context", "inference",    "serving",      "pruning",  "low-rank", "adaptive",    "token",       "mixture",
    "experts",      "memory",       "throughput",   "latency",  "prefill",  "compression", "streaming",   "parallel",
    "pipeline",     "distillation", "activation",   "weight",   "outlier",  "rotation",    "block",       "window",
    "eviction",     "retrieval",    "hierarchical", "hardware", "aware",    "fused",       "vision",      "language",
    "multimodal",   "training",     "scaling",      "routing",  "dynamic",  "static",      "calibration", "mixed",
    "precision",    "accelerator",  "transformer",  "linear",   "state",    "space",       "hybrid",      "gradient",
    "optimizer"};
const QStringList kKeywords = {"attention_sparsity", "quantization", "kv_cache", "structured_sparsity",
                               "low_rank",           "overlap",      "fusion",   "efficient_training",
                               "deployment",         "survey",       "tool"};
const QStringList kVenues = {"arXiv", "ICML", "ICLR", "NeurIPS", "MLSys", "ASPLOS", "OSDI", "EuroSys", "ACL", "COLM"};

// Prose follows Zipf's law over a vocabulary of ~10,000 words, as real notes do: a few words
// are everywhere, most are rare. The field's own words sit at mid-frequency ranks.
class ZipfVocabulary {
public:
    explicit ZipfVocabulary(std::mt19937 &rng)
    {
        const QStringList syllables = {"ka",  "lo",  "mi",  "ter", "sun", "dra", "vel", "qui", "po",  "ran",
                                       "zen", "tho", "bri", "gas", "mor", "ple", "xu",  "fen", "dal", "rok"};
        for (int i = 0; i < 10000; ++i) {
            QString w;
            for (int n = 2 + int(rng() % 3); n > 0; --n)
                w += syllables[int(rng() % syllables.size())];
            m_words << w;
        }
        for (int i = 0; i < kWords.size(); ++i)
            m_words[20 + i * 7] = kWords[i];
        double sum = 0;
        for (int r = 1; r <= m_words.size(); ++r)
            m_cdf.push_back(sum += 1.0 / r);
        for (double &c : m_cdf)
            c /= sum;
    }
    QString draw(std::mt19937 &rng) const
    {
        const double u = std::uniform_real_distribution<double>(0, 1)(rng);
        const auto it = std::lower_bound(m_cdf.begin(), m_cdf.end(), u);
        return m_words[int(std::min<size_t>(it - m_cdf.begin(), m_cdf.size() - 1))];
    }

private:
    QStringList m_words;
    std::vector<double> m_cdf;
};

} // namespace

int writeSyntheticLibrary(const QString &root, int papers, unsigned seed)
{
    std::mt19937 rng(seed);
    const ZipfVocabulary vocabulary(rng);
    auto pick = [&rng](const QStringList &list) { return list[int(rng() % list.size())]; };
    auto words = [&](int n) {
        QStringList w;
        for (int i = 0; i < n; ++i)
            w << vocabulary.draw(rng);
        return w.join(QLatin1Char(' '));
    };
    QStringList institutions;
    for (int i = 0; i < 500; ++i)
        institutions << QStringLiteral("Institute %1 of %2").arg(i).arg(pick(kWords));

    for (int i = 0; i < papers; ++i) {
        const int year = 2018 + int(rng() % 9);
        const QString key = QStringLiteral("P%1").arg(i, 6, 10, QLatin1Char('0'));
        QString abbr = pick(kWords); // titles use the field's words
        abbr[0] = abbr[0].toUpper();
        abbr += QString::number(i);
        QStringList titleWords;
        for (int n = 6 + int(rng() % 6); n > 0; --n)
            titleWords << (rng() % 2 ? pick(kWords) : vocabulary.draw(rng));
        const QString title = QStringLiteral("%1: %2").arg(abbr, titleWords.join(QLatin1Char(' ')));
        QString meta;
        meta += QStringLiteral("paper {\n  title: \"%1\"\n  abbr: \"%2\"\n  url: \"https://arxiv.org/abs/%3.%4\"\n")
                    .arg(title, abbr)
                    .arg(year % 100 * 100 + 1 + int(rng() % 12), 4, 10, QLatin1Char('0'))
                    .arg(i % 100000, 5, 10, QLatin1Char('0'));
        for (int a = 0; a < 3; ++a)
            meta += QStringLiteral("  authors: \"Author%1 %2\"\n").arg(int(rng() % 20000)).arg(pick(kWords));
        for (int n = 1 + int(rng() % 3); n > 0; --n)
            meta += QStringLiteral("  institutions: \"%1\"\n").arg(pick(institutions));
        meta += QStringLiteral("}\npub {\n  where: \"%1\"\n  year: %2\n}\n").arg(pick(kVenues)).arg(year);
        if (rng() % 2)
            meta += QStringLiteral("code {\n  type: \"Pytorch\"\n  url: \"https://github.com/lab/%1\"\n}\n").arg(key);
        meta += QStringLiteral("note {\n  url: \"note.md\"\n}\nkeyword {\n  words: %1\n  words: %2\n}\n")
                    .arg(pick(kKeywords), pick(kKeywords));

        QString note = QStringLiteral("# %1\n\n## Key points\n\n").arg(abbr);
        for (int b = 0; b < 8; ++b)
            note += QStringLiteral("- %1.\n").arg(words(10 + int(rng() % 10)));
        note += QStringLiteral("\n| method | speedup | accuracy |\n|---|---|---|\n| %1 | %2x | %3 |\n\n")
                    .arg(abbr)
                    .arg(1 + rng() % 5)
                    .arg(60 + rng() % 30);
        note += QStringLiteral("![overview](fig1.png)\n\n%1.\n").arg(words(60));

        const QString metaPath = QStringLiteral("%1/meta/%2/%3.prototxt").arg(root).arg(year).arg(key);
        const QString notePath = QStringLiteral("%1/notes/%2/%3/note.md").arg(root).arg(year).arg(key);
        QDir().mkpath(QFileInfo(metaPath).absolutePath());
        QDir().mkpath(QFileInfo(notePath).absolutePath());
        QFile m(metaPath), n(notePath);
        if (!m.open(QIODevice::WriteOnly) || !n.open(QIODevice::WriteOnly))
            return i;
        m.write(meta.toUtf8());
        n.write(note.toUtf8());
    }
    return papers;
}

} // namespace paperlab::bench
