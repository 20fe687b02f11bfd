#pragma once
// A paper named from outside the library, by identity rather than by this library's key:
// the playground's kernels say "2307.08691 FlashAttention-2", so a library that keys the
// paper "FlashAttention-2" (EfficientPaper) or "flashattention2" (PaperLab's bundle) finds
// it either way.

#include <QString>

#include <optional>

namespace paperlab {

class Library;

struct PaperReference {
    QString arxivId; // "2307.08691"; empty when the reference has none
    QString name;    // a title, a short name or a key

    // "2307.08691 FlashAttention-2", "arXiv:2307.08691", "FlashAttention-2: Faster ...", "FlashDecoding".
    static PaperReference parse(const QString &reference);

    // Whether a paper with these fields is the one named: the same arXiv id when both
    // have one (a differing id says no, whatever the names), else its title, short name or
    // key is the name, however spelled ("FlashAttention-2" for "flashattention2").
    bool refersTo(const QString &arxivId, const QString &title, const QString &abbr, const QString &key) const;
};

// The paper `reference` names: by arXiv id, else the one paper whose title, short name or
// key is its name. Empty when none, or when the name alone fits several papers.
std::optional<qint64> findPaper(Library &library, const QString &reference);

} // namespace paperlab
