#pragma once
// A table written as CSV: named columns, rows of cells. Every number prints in the one
// shortest round-trip form (format_number), so files are byte-identical across runs and between
// the GUI and the CLI; text cells are quoted only when they must be.
//
//   Table t({"run", "episode", "return"});
//   t.add_row({run, episode, ret});          // ints print as integers, doubles via format_number
//   t.add_row(std::span<const double>(row, n));
//   t.write_csv(dir / "metrics.csv");        // atomic: temp file, fsync, rename

#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dynalab {

/// One cell, formatted when made: a double as format_number (213.0 -> "213", 0.1 -> "0.1";
/// note 1e5 -> "1e+05", the shorter form), an integer as its decimal digits (100000 ->
/// "100000"), text as a CSV field (quoted if it holds a comma, quote or newline).
class TableCell {
 public:
  TableCell(double x);
  TableCell(int v) : text_(std::to_string(v)) {}
  TableCell(long v) : text_(std::to_string(v)) {}
  TableCell(long long v) : text_(std::to_string(v)) {}
  TableCell(unsigned v) : text_(std::to_string(v)) {}
  TableCell(unsigned long v) : text_(std::to_string(v)) {}
  TableCell(unsigned long long v) : text_(std::to_string(v)) {}
  TableCell(const char* s) : TableCell(std::string_view(s)) {}
  TableCell(const std::string& s) : TableCell(std::string_view(s)) {}
  TableCell(std::string_view s);
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

class Table {
 public:
  explicit Table(std::vector<std::string> columns);

  const std::vector<std::string>& columns() const { return columns_; }
  size_t rows() const { return rows_; }

  /// Appends one row; throws std::invalid_argument unless it has one cell per column.
  Table& add_row(std::initializer_list<TableCell> cells);
  Table& add_row(const std::vector<TableCell>& cells);
  /// A row of numbers, each as format_number.
  Table& add_row(std::span<const double> values);

  /// The header line (column names as CSV fields) and one line per row, each ending in '\n'.
  std::string to_csv() const;
  /// to_csv() written atomically (write_file_atomic); throws InputError naming the path.
  void write_csv(const std::filesystem::path& path) const;

 private:
  void check_width(size_t n) const;
  std::vector<std::string> columns_;
  std::string body_;  ///< the rows, already CSV text
  size_t rows_ = 0;
};

}  // namespace dynalab
