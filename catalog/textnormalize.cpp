#include "textnormalize.h"

#include <QHash>
#include <QRegularExpression>
#include <QUrl>

namespace paperlab {

QString normalizedTitle(const QString &title)
{
    QString out;
    out.reserve(title.size());
    for (const QChar c : title) {
        if (c.isLetterOrNumber())
            out.append(c.toLower());
    }
    return out;
}

QString arxivIdFrom(const QString &text)
{
    // New-style ids only (2007+): YYMM.NNNN(N); the seeds never use old-style ids.
    static const QRegularExpression inUrl(QStringLiteral(R"(arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5}))"),
                                          QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression bracketed(QStringLiteral(R"(\[(\d{4}\.\d{4,5})(?:v\d+)?\])"));
    static const QRegularExpression prefixed(QStringLiteral(R"(arxiv:\s*(\d{4}\.\d{4,5}))"),
                                             QRegularExpression::CaseInsensitiveOption);
    for (const auto *re : {&inUrl, &bracketed, &prefixed}) {
        const auto m = re->match(text);
        if (m.hasMatch())
            return m.captured(1);
    }
    return {};
}

QString doiFrom(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"((10\.\d{4,9}/[^\s"<>()]+))"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return {};
    QString doi = m.captured(1);
    while (doi.endsWith(QLatin1Char('.')) || doi.endsWith(QLatin1Char(',')))
        doi.chop(1);
    return doi.toLower();
}

QString normalizedUrl(const QString &url)
{
    QString u = url.trimmed();
    if (u.isEmpty())
        return {};
    const QUrl parsed(u);
    if (parsed.isValid() && !parsed.host().isEmpty()) {
        QString host = parsed.host().toLower();
        if (host.startsWith(QLatin1String("www.")))
            host = host.mid(4);
        QString rest = parsed.path();
        if (parsed.hasQuery())
            rest += QLatin1Char('?') + parsed.query();
        u = host + rest;
    }
    while (u.endsWith(QLatin1Char('/')))
        u.chop(1);
    return u;
}

namespace {

// "21-KV Cache Management" -> "KV Cache Management": lists number their sections; the
// number is no part of the topic.
QString withoutOrdinal(const QString &topic)
{
    static const QRegularExpression ordinal(QStringLiteral(R"(^\s*\d+\s*[-.)]\s*(?=\p{L}))"));
    QString name = topic;
    if (const auto m = ordinal.match(name); m.hasMatch())
        name.remove(0, m.capturedLength());
    return name;
}

} // namespace

QString topicKey(const QString &topic)
{
    const QString name = withoutOrdinal(topic);
    QString out;
    bool pendingSep = false;
    for (const QChar c : name.trimmed()) {
        if (c.isLetterOrNumber()) {
            if (pendingSep && !out.isEmpty())
                out.append(QLatin1Char('_'));
            pendingSep = false;
            out.append(c.toLower());
        } else {
            pendingSep = true;
        }
    }
    // One topic, several spellings: EfficientPaper's enum words and the headings lists use.
    static const QHash<QString, QString> same = {
        {QStringLiteral("kv_cache_quantization"), QStringLiteral("kv_cache_quant")},
        {QStringLiteral("kv_cache_sparsity"), QStringLiteral("kv_cache_sparse")},
        {QStringLiteral("kvcache"), QStringLiteral("kv_cache")},
        {QStringLiteral("spec_decode"), QStringLiteral("speculative_decoding")},
        {QStringLiteral("speculative_decode"), QStringLiteral("speculative_decoding")},
    };
    return same.value(out, out);
}

QString topicDisplayName(const QString &topic)
{
    static const QHash<QString, QString> known = {
        {QStringLiteral("kv_cache"), QStringLiteral("KV Cache")},
        {QStringLiteral("mllm"), QStringLiteral("MLLM")},
        {QStringLiteral("mlsys"), QStringLiteral("MLSys")},
        {QStringLiteral("low_rank"), QStringLiteral("Low Rank")},
        {QStringLiteral("attention_sparsity"), QStringLiteral("Attention Sparsity")},
        {QStringLiteral("activation_sparsity"), QStringLiteral("Activation Sparsity")},
        {QStringLiteral("structured_sparsity"), QStringLiteral("Structured Sparsity")},
        {QStringLiteral("weight_sparsity"), QStringLiteral("Weight Sparsity")},
        {QStringLiteral("sparse_pruning"), QStringLiteral("Sparse Pruning")},
        {QStringLiteral("efficient_training"), QStringLiteral("Efficient Training")},
        {QStringLiteral("structure_design"), QStringLiteral("Structure Design")},
        {QStringLiteral("kv_cache_quant"), QStringLiteral("KV Cache Quantization")},
        {QStringLiteral("kv_cache_quantization"), QStringLiteral("KV Cache Quantization")},
        {QStringLiteral("kv_cache_sparse"), QStringLiteral("KV Cache Sparsity")},
        {QStringLiteral("kv_cache_sparsity"), QStringLiteral("KV Cache Sparsity")},
        {QStringLiteral("kv_cache_management"), QStringLiteral("KV Cache Management")},
        {QStringLiteral("speculative_decoding"), QStringLiteral("Speculative Decoding")},
    };
    const QString key = topicKey(topic);
    if (const auto it = known.constFind(key); it != known.constEnd())
        return it.value();
    // A schema word ("quantization") becomes "Quantization"; a heading keeps its spelling.
    if (topic == key) {
        QString out = key;
        out.replace(QLatin1Char('_'), QLatin1Char(' '));
        bool start = true;
        for (QChar &c : out) {
            if (start && c.isLetter())
                c = c.toUpper();
            start = c == QLatin1Char(' ');
        }
        return out;
    }
    return simplifiedText(withoutOrdinal(topic));
}

QString topicParentKey(const QString &key)
{
    // KV cache > quantization / sparsity / management: a paper filed under a child topic
    // is also found under its parent.
    static const QLatin1String kv("kv_cache_");
    if (key.startsWith(kv) && key.size() > kv.size())
        return QStringLiteral("kv_cache");
    return {};
}

QStringList withParentTopics(const QStringList &topics)
{
    QStringList out;
    QStringList keys;
    auto add = [&](const QString &name) {
        const QString key = topicKey(name);
        if (key.isEmpty() || keys.contains(key))
            return;
        keys.append(key);
        out.append(topicDisplayName(name));
    };
    for (const QString &t : topics) {
        add(t);
        const QString parent = topicParentKey(topicKey(t));
        if (!parent.isEmpty())
            add(topicDisplayName(parent));
    }
    return out;
}

QString keyFromTitle(const QString &abbr, const QString &title)
{
    QString base = abbr.trimmed();
    if (base.isEmpty()) {
        // "APE: Faster and ..." -> "APE"; otherwise the first three words.
        const int colon = title.indexOf(QLatin1Char(':'));
        if (colon > 0 && colon <= 40)
            base = title.left(colon);
        else
            base = title.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)
                       .mid(0, 3)
                       .join(QLatin1Char('_'));
    }
    QString out;
    for (const QChar c : base) {
        if (c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_'))
            out.append(c);
        else if (c.isSpace() && !out.endsWith(QLatin1Char('_')))
            out.append(QLatin1Char('_'));
    }
    while (out.endsWith(QLatin1Char('_')))
        out.chop(1);
    return out.isEmpty() ? QStringLiteral("paper") : out.left(48);
}

qsizetype inlineMathEnd(const QString &text, qsizetype open)
{
    const qsizetype first = open + 1;
    if (first >= text.size() || text[first].isSpace() || text[first] == QLatin1Char('$'))
        return -1;
    for (qsizetype i = first; i < text.size(); ++i) {
        if (text[i] == QLatin1Char('\\')) {
            ++i;
            continue;
        }
        if (text[i] != QLatin1Char('$'))
            continue;
        if (text[i - 1].isSpace() || (i + 1 < text.size() && text[i + 1].isDigit()))
            return -1;
        return i;
    }
    return -1;
}

QString simplifiedText(const QString &text)
{
    return text.simplified();
}

QString trimmedText(const QString &text)
{
    return text.trimmed();
}

} // namespace paperlab
