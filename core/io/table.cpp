#include "core/io/table.h"

#include <stdexcept>

#include "core/io/atomic_file.h"
#include "core/io/csv.h"

namespace dynalab {

TableCell::TableCell(double x) : text_(format_number(x)) {}
TableCell::TableCell(std::string_view s) : text_(csv_field(s)) {}

Table::Table(std::vector<std::string> columns) : columns_(std::move(columns)) {}

void Table::check_width(size_t n) const {
  if (n != columns_.size())
    throw std::invalid_argument("Table: a row of " + std::to_string(n) + " cells for " +
                                std::to_string(columns_.size()) + " columns");
}

Table& Table::add_row(std::initializer_list<TableCell> cells) {
  check_width(cells.size());
  bool first = true;
  for (const TableCell& c : cells) {
    if (!first) body_ += ',';
    body_ += c.text();
    first = false;
  }
  body_ += '\n';
  ++rows_;
  return *this;
}

Table& Table::add_row(const std::vector<TableCell>& cells) {
  check_width(cells.size());
  for (size_t j = 0; j < cells.size(); ++j) {
    if (j) body_ += ',';
    body_ += cells[j].text();
  }
  body_ += '\n';
  ++rows_;
  return *this;
}

Table& Table::add_row(std::span<const double> values) {
  check_width(values.size());
  for (size_t j = 0; j < values.size(); ++j) {
    if (j) body_ += ',';
    body_ += format_number(values[j]);
  }
  body_ += '\n';
  ++rows_;
  return *this;
}

std::string Table::to_csv() const {
  std::string out;
  for (size_t j = 0; j < columns_.size(); ++j) {
    if (j) out += ',';
    out += csv_field(columns_[j]);
  }
  out += '\n';
  return out + body_;
}

void Table::write_csv(const std::filesystem::path& path) const { write_file_atomic(path, to_csv()); }

}  // namespace dynalab
