#include "core/io/read_file.h"

#include <fstream>
#include <sstream>

#include "core/io/input_error.h"

namespace dynalab {

std::string read_file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read (missing or unreadable)");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace dynalab
