#pragma once
// numpy's .npy format (version 1.0 and 2.0) for one vector of doubles, and a plain-text
// vector reader (CSV or whitespace separated), so a researcher can hand signopt a point
// saved with np.save / np.savetxt and read back the points signopt writes with np.load.
//
// Read: little-endian float64 ('<f8') or float32 ('<f4'), C or Fortran order, shape (d,),
// (d, 1) or (1, d). Anything else is an Error naming the file and what was found.
#include <filesystem>

#include "signopt/core/types.hpp"

namespace signopt {

Vector read_npy_vector(const std::filesystem::path& path);
// Written as '<f8', shape (d,), version 1.0, atomically (a temporary file renamed).
void write_npy_vector(const std::filesystem::path& path, const Vector& v);
// The .npy bytes of v (what write_npy_vector writes).
std::string npy_bytes(const Vector& v);

// Numbers separated by commas, whitespace or newlines ('#' starts a comment); Errors name
// the file and line of anything that is not a finite number.
Vector read_text_vector(const std::filesystem::path& path);

// .npy by its extension, any other file as text.
Vector read_vector_file(const std::filesystem::path& path);

}  // namespace signopt
