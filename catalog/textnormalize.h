#pragma once
// Normalizations used to recognise the same paper across sources.

#include <QString>
#include <QStringList>

namespace paperlab {

// Lower-case letters and digits only: survives case, punctuation, "_" for spaces and
// squashed words ("MInference1.0-AcceleratingPre-fillingfor" -> "minference10acceleratingprefillingfor").
QString normalizedTitle(const QString &title);

// "2205.14135" from an arXiv URL or a "[2205.14135]" mention (version dropped); empty when none.
QString arxivIdFrom(const QString &text);

// "10.1145/3627535.3638466" from a doi.org URL or a bare DOI; empty when none.
QString doiFrom(const QString &text);

// A URL reduced for comparison: no scheme, no "www.", no trailing slash, lower-case host.
QString normalizedUrl(const QString &url);

// A topic's identity: "KV Cache", "kv_cache" and "KV-cache" all give "kv_cache"; a section
// number goes ("21-KV Cache Management") and known spellings of one topic unify
// ("KV Cache Quantization" and "kv_cache_quant").
QString topicKey(const QString &topic);
// The display name for a topic: known keys get their usual spelling ("kv_cache" -> "KV Cache").
QString topicDisplayName(const QString &topic);
// The key of the topic a topic belongs under ("kv_cache" for "kv_cache_quant"), or empty.
QString topicParentKey(const QString &key);
// `topics` as display names, each spelling once, with the parent of each child topic added.
QStringList withParentTopics(const QStringList &topics);

// A file-name-safe key from a short name or title ("APE: Faster..." -> "APE").
QString keyFromTitle(const QString &abbr, const QString &title);

// The index of the '$' closing the inline math ("H$_2$O", "$O(n)$") that the '$' at `open`
// begins; -1 when that '$' is plain text. As in pandoc's Markdown: the opening '$' is followed
// by a non-space, the closing one follows a non-space and no digit follows it, so
// "from $5 to $10" is text. BibTeX keeps such math as LaTeX, both ways.
qsizetype inlineMathEnd(const QString &text, qsizetype open);

// Collapses runs of whitespace (including line breaks inside wrapped list items) to one space.
QString simplifiedText(const QString &text);

// Without leading and trailing whitespace: how importers read urls and short names (a plain
// function, so a reader can be passed around as one).
QString trimmedText(const QString &text);

} // namespace paperlab
