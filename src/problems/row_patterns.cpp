#include "signopt/problems/row_patterns.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

namespace signopt {
namespace {

using ColumnMatrix = Eigen::SparseMatrix<double, Eigen::ColMajor, std::int64_t>;

std::uint64_t mix(std::uint64_t x) {  // a 64-bit finaliser (splitmix64's)
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A row's pattern within a group, hashed entry by entry in column order (0: no entry yet).
std::uint64_t extend(std::uint64_t hash, Index column, double value) {
  const std::uint64_t entry =
      mix(static_cast<std::uint64_t>(column) * 0x9e3779b97f4a7c15ULL ^ std::bit_cast<std::uint64_t>(value));
  const std::uint64_t h = mix(hash + entry);
  return h == 0 ? 1 : h;
}

struct Grouping {
  std::vector<Index> group_begin{0};
  double cost = 0;  // nnz(P) + nnz(E) + K, estimated from hashes
};

// The current group's distinct patterns by hash: rows having each and its width (entries).
// Open addressing with linear probing and deletion by shifting back (no tombstones); the
// table holds at most one pattern per row, so twice the rows' count in slots suffices.
class PatternCounts {
 public:
  struct Slot {
    std::uint64_t hash = 0;  // 0: empty
    Index rows = 0;
    Index width = 0;
  };
  explicit PatternCounts(Index rows) {
    std::size_t size = 16;
    while (size < 2 * static_cast<std::size_t>(rows) + 2) size *= 2;
    slots_.resize(size);
    mask_ = size - 1;
  }
  std::size_t size() const { return size_; }
  Slot& find_or_add(std::uint64_t hash) {
    std::size_t i = hash & mask_;
    while (slots_[i].hash != 0 && slots_[i].hash != hash) i = (i + 1) & mask_;
    if (slots_[i].hash == 0) {
      slots_[i] = Slot{hash, 0, 0};
      ++size_;
      used_.push_back(i);
    }
    return slots_[i];
  }
  Slot& find(std::uint64_t hash) {
    std::size_t i = hash & mask_;
    while (slots_[i].hash != hash) i = (i + 1) & mask_;
    return slots_[i];
  }
  void erase(Slot& slot) {
    auto i = static_cast<std::size_t>(&slot - slots_.data());
    for (std::size_t j = (i + 1) & mask_; slots_[j].hash != 0; j = (j + 1) & mask_) {
      const std::size_t home = slots_[j].hash & mask_;
      // Move j's entry into the hole at i when its home does not lie cyclically in (i, j].
      const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays) {
        slots_[i] = slots_[j];
        used_.push_back(i);
        i = j;
      }
    }
    slots_[i].hash = 0;
    --size_;
  }
  void clear() {
    for (std::size_t i : used_) slots_[i].hash = 0;
    used_.clear();
    size_ = 0;
  }

 private:
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  std::vector<std::size_t> used_;  // slots written since the last clear (a superset of the full ones)
};

// Greedy groups of at most `cap` distinct patterns, the columns scanned in order (data in CSC
// form). A hash collision could only make the estimate optimistic; the factorisation itself is
// built exactly.
// Scratch for group_columns, reused from one cap to the next (fresh pages are dear).
struct GroupingScratch {
  explicit GroupingScratch(Index rows) : hash(static_cast<std::size_t>(rows), 0), patterns(rows) {}
  std::vector<std::uint64_t> hash;  // per row: its pattern in the current group (0: none)
  std::vector<Index> touched;       // rows with an entry in the current group
  PatternCounts patterns;           // the current group's patterns
};

Grouping group_columns(const ColumnMatrix& by_column, Index cap, GroupingScratch& scratch) {
  const Index d = by_column.cols();
  const auto* outer = by_column.outerIndexPtr();
  const auto* inner = by_column.innerIndexPtr();
  const double* vals = by_column.valuePtr();

  std::vector<std::uint64_t>& hash = scratch.hash;
  std::vector<Index>& touched = scratch.touched;
  PatternCounts& patterns = scratch.patterns;
  Index entries = 0;  // Σ width over the current group's patterns

  auto add_column = [&](Index c) {
    for (auto p = outer[c]; p < outer[c + 1]; ++p) {
      const auto i = static_cast<std::size_t>(inner[p]);
      const std::uint64_t old = hash[i];
      Index width = 1;
      if (old == 0) {
        touched.push_back(inner[p]);
      } else {
        PatternCounts::Slot& slot = patterns.find(old);
        width = slot.width + 1;
        if (--slot.rows == 0) {
          entries -= slot.width;
          patterns.erase(slot);
        }
      }
      hash[i] = extend(old, c, vals[p]);
      PatternCounts::Slot& now = patterns.find_or_add(hash[i]);
      if (now.rows++ == 0) {
        now.width = width;
        entries += width;
      }
    }
  };
  auto group_cost = [&] {
    return static_cast<double>(touched.size()) + static_cast<double>(entries) +
           static_cast<double>(patterns.size());
  };
  auto restart = [&] {
    for (Index i : touched) hash[static_cast<std::size_t>(i)] = 0;
    touched.clear();
    patterns.clear();
    entries = 0;
  };

  Grouping out;
  for (Index c = 0; c < d; ++c) {
    const bool first_column = out.group_begin.back() == c;
    const double cost_before = group_cost();
    add_column(c);
    if (!first_column && static_cast<Index>(patterns.size()) > cap) {
      // Over the cap: the group ends before c (its cost is the one before c was added), and
      // a new group starts with c.
      out.cost += cost_before;
      out.group_begin.push_back(c);
      restart();
      add_column(c);
    }
  }
  out.cost += group_cost();
  out.group_begin.push_back(d);
  restart();
  return out;
}

// The exact factorisation for the given groups. Pattern ids are given group by group, in order
// of first appearance down the rows.
RowPatterns factor(const SparseMatrix& rows, std::vector<Index> group_begin) {
  const Index n = rows.rows();
  const auto* outer = rows.outerIndexPtr();
  const auto* inner = rows.innerIndexPtr();
  const double* vals = rows.valuePtr();

  std::vector<std::int64_t> p_outer{0};
  std::vector<std::int64_t> p_inner;
  std::vector<std::int64_t> e_outer{0};
  std::vector<std::int64_t> e_inner;
  std::vector<double> e_values;
  p_outer.reserve(static_cast<std::size_t>(n) + 1);

  // The pattern of each row in each group: the range of its entries there, found by walking
  // the row's (sorted) entries once per group.
  std::vector<std::int64_t> cursor(outer, outer + n);
  const std::size_t groups = group_begin.size() - 1;
  std::vector<std::int64_t> row_pattern(static_cast<std::size_t>(n) * groups, -1);  // per row and group
  std::unordered_multimap<std::uint64_t, std::int64_t> known;  // hash → pattern id (this group)
  std::int64_t k = 0;
  for (std::size_t g = 0; g + 1 < group_begin.size(); ++g) {
    known.clear();
    for (Index i = 0; i < n; ++i) {
      auto& at = cursor[static_cast<std::size_t>(i)];
      const std::int64_t begin = at;
      std::uint64_t h = 0;
      while (at < outer[i + 1] && inner[at] < group_begin[g + 1]) {
        h = extend(h, inner[at], vals[at]);
        ++at;
      }
      if (at == begin) continue;
      const std::int64_t len = at - begin;
      std::int64_t id = -1;
      for (auto [it, end] = known.equal_range(h); it != end; ++it) {
        const std::int64_t q = it->second;
        const std::int64_t qb = e_outer[static_cast<std::size_t>(q)];
        if (e_outer[static_cast<std::size_t>(q) + 1] - qb == len &&
            std::equal(inner + begin, inner + at, e_inner.begin() + qb) &&
            std::equal(vals + begin, vals + at, e_values.begin() + qb)) {
          id = q;
          break;
        }
      }
      if (id < 0) {
        id = k++;
        known.emplace(h, id);
        e_inner.insert(e_inner.end(), inner + begin, inner + at);
        e_values.insert(e_values.end(), vals + begin, vals + at);
        e_outer.push_back(static_cast<std::int64_t>(e_inner.size()));
      }
      row_pattern[static_cast<std::size_t>(i) * groups + g] = id;
    }
  }
  for (std::size_t q = 0; q < row_pattern.size(); ++q) {
    if (row_pattern[q] >= 0) p_inner.push_back(row_pattern[q]);
    if ((q + 1) % groups == 0) p_outer.push_back(static_cast<std::int64_t>(p_inner.size()));
  }

  RowPatterns out;
  out.group_begin = std::move(group_begin);
  const std::vector<double> ones(p_inner.size(), 1.0);
  out.indicator = Eigen::Map<const SparseMatrix>(n, k, static_cast<std::int64_t>(p_inner.size()),
                                                 p_outer.data(), p_inner.data(), ones.data());
  out.patterns = Eigen::Map<const SparseMatrix>(k, rows.cols(), static_cast<std::int64_t>(e_inner.size()),
                                                e_outer.data(), e_inner.data(), e_values.data());
  return out;
}

}  // namespace

std::optional<RowPatterns> find_row_patterns(const SparseMatrix& rows) {
  const Index n = rows.rows();
  const double direct = static_cast<double>(rows.nonZeros());
  if (n < 256 || direct == 0) return std::nullopt;  // too small to gain
  ColumnMatrix by_column = rows;
  by_column.makeCompressed();
  std::optional<Grouping> best;
  GroupingScratch scratch(n);
  for (Index cap = 16; cap <= 4096 && cap <= n / 8; cap *= 4) {
    Grouping g = group_columns(by_column, cap, scratch);
    if (!best || g.cost < best->cost) best = std::move(g);
  }
  if (!best || best->cost >= kRowPatternsWorthIt * direct) return std::nullopt;
  return factor(rows, std::move(best->group_begin));
}

}  // namespace signopt
