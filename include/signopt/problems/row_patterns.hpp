#pragma once
// Factoring a sparse data matrix through its repeated row patterns: A = P·E.
//
// The columns are cut into consecutive groups. Within a group, a row's entries (columns and
// values) form its pattern there; data sets of categorical features (one-hot encodings such as
// LIBSVM's Mushrooms, Adult, Covertype) repeat few patterns over many rows when a group spans
// several features. E (K × d) lists the K distinct non-empty patterns, group after group; P
// (n × K, every value 1) marks, for each row, its pattern in each group where it has entries.
// Then A·w = P·(E·w) and Aᵀc = Eᵀ·(Pᵀc) exactly in real arithmetic, and a pass over the rows
// reads nnz(P) entries instead of nnz(A) (Mushrooms: 6 instead of 21 per row), at the price of
// the two small products with E.
//
// The groups are chosen greedily (a group grows column by column while it has at most `cap`
// distinct patterns) for the caps 16, 64, 256 and 1024 (at most n/8), and the one with the least cost
//   nnz(P) + nnz(E) + K   (per point and pass, in entries read)
// is kept, if that cost is below kRowPatternsWorthIt · nnz(A); otherwise there is none.
#include <optional>

#include "signopt/core/types.hpp"

namespace signopt {

struct RowPatterns {
  SparseMatrix indicator;  // P: n × K, unit values, a row's patterns in increasing order
  SparseMatrix patterns;   // E: K × d, pattern k's entries in increasing column order
  std::vector<Index> group_begin;  // groups are the columns [group_begin[g], group_begin[g + 1])
};

// The factorisation A = P·E of `rows`, or nothing when it would not make passes cheaper.
inline constexpr double kRowPatternsWorthIt = 0.6;
std::optional<RowPatterns> find_row_patterns(const SparseMatrix& rows);

}  // namespace signopt
