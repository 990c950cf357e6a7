#include "core/dataset.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>

#include "core/config.h"
#include "core/io/csv.h"
#include "core/io/table.h"
#include "core/io/npy.h"
#include "core/number_text.h"

namespace dynalab {

Dataset::Dataset(int obs_dim, int action_dim, size_t capacity)
    : obs_dim_(obs_dim), action_dim_(action_dim), capacity_(capacity) {}

void Dataset::add(const Transition& t) {
  const int c = cols();
  double* r;
  if (capacity_ && count_ == capacity_) {
    r = rows_.data() + head_ * c;  // overwrite the oldest
    head_ = (head_ + 1) % capacity_;
  } else {
    rows_.resize(rows_.size() + c);
    r = rows_.data() + count_ * c;
    ++count_;
  }
  int k = 0;
  r[k++] = t.episode;
  for (int i = 0; i < obs_dim_; ++i) r[k++] = t.obs[i];
  for (int i = 0; i < action_dim_; ++i) r[k++] = t.action[i];
  r[k++] = t.reward;
  for (int i = 0; i < obs_dim_; ++i) r[k++] = t.next_obs[i];
  r[k++] = t.terminated ? 1.0 : 0.0;
}

const double* Dataset::row(size_t i) const {
  const size_t phys = capacity_ && count_ == capacity_ ? (head_ + i) % capacity_ : i;
  return rows_.data() + phys * cols();
}

Dataset Dataset::head(size_t n) const {
  Dataset d(obs_dim_, action_dim_);
  const size_t k = std::min(n, count_);
  d.rows_.reserve(k * size_t(cols()));
  for (size_t i = 0; i < k; ++i) d.rows_.insert(d.rows_.end(), row(i), row(i) + cols());
  d.count_ = k;
  return d;
}

Transition Dataset::at(size_t i) const {
  const double* r = row(i);
  Transition t;
  int k = 0;
  t.episode = static_cast<int>(r[k++]);
  t.obs = Eigen::Map<const Vec>(r + k, obs_dim_);
  k += obs_dim_;
  t.action = Eigen::Map<const Vec>(r + k, action_dim_);
  k += action_dim_;
  t.reward = r[k++];
  t.next_obs = Eigen::Map<const Vec>(r + k, obs_dim_);
  k += obs_dim_;
  t.terminated = r[k] != 0.0;
  return t;
}

namespace {
/// Why `x` cannot stand in column `j` of `cols` (nullptr if it can): every value is finite, the
/// episode an id an int holds (Transition::episode; random-action episodes are negative) and
/// terminated a flag, 0 or 1.
const char* refuse_value(int j, int cols, double x) {
  if (!std::isfinite(x)) return "a finite number";
  if (j == 0 && !(x >= std::numeric_limits<int>::min() && x <= std::numeric_limits<int>::max() &&
                  x == std::floor(x)))
    return "an integer in [-2147483648, 2147483647]";
  if (j == cols - 1 && x != 0 && x != 1) return "0 or 1";
  return nullptr;
}
}  // namespace

void Dataset::clear() {
  rows_.clear();
  count_ = head_ = 0;
}

namespace {
Eigen::MatrixXd block(const Dataset& d, int offset, int width, size_t n,
                      const std::function<const double*(size_t)>& row) {
  Eigen::MatrixXd m(n, width);
  for (size_t i = 0; i < n; ++i)
    for (int j = 0; j < width; ++j) m(i, j) = row(i)[offset + j];
  (void)d;
  return m;
}
}  // namespace

Eigen::MatrixXd Dataset::observations() const {
  return block(*this, 1, obs_dim_, count_, [this](size_t i) { return row(i); });
}
Eigen::MatrixXd Dataset::actions() const {
  return block(*this, 1 + obs_dim_, action_dim_, count_, [this](size_t i) { return row(i); });
}
Eigen::MatrixXd Dataset::next_observations() const {
  return block(*this, 2 + obs_dim_ + action_dim_, obs_dim_, count_, [this](size_t i) { return row(i); });
}
Eigen::VectorXd Dataset::terminations() const {
  return block(*this, cols() - 1, 1, count_, [this](size_t i) { return row(i); });
}
Eigen::VectorXd Dataset::rewards() const {
  return block(*this, 1 + obs_dim_ + action_dim_, 1, count_, [this](size_t i) { return row(i); });
}

std::vector<std::string> Dataset::columns() const {
  std::vector<std::string> c{"episode"};
  for (int i = 0; i < obs_dim_; ++i) c.push_back("obs_" + std::to_string(i));
  for (int i = 0; i < action_dim_; ++i) c.push_back("action_" + std::to_string(i));
  c.push_back("reward");
  for (int i = 0; i < obs_dim_; ++i) c.push_back("next_obs_" + std::to_string(i));
  c.push_back("terminated");
  return c;
}

std::string Dataset::to_csv() const {
  Table t(columns());
  for (size_t i = 0; i < count_; ++i) t.add_row(std::span<const double>(row(i), size_t(cols())));
  return t.to_csv();
}

std::string Dataset::to_npy() const {
  std::vector<double> flat;
  flat.reserve(count_ * cols());
  for (size_t i = 0; i < count_; ++i) flat.insert(flat.end(), row(i), row(i) + cols());
  return npy_encode(flat.data(), count_, cols());
}

Dataset Dataset::from_rows(const std::vector<double>& rows, size_t n, int obs_dim, int action_dim,
                           const std::string& source) {
  Dataset d(obs_dim, action_dim);
  const int c = d.cols();
  const auto names = d.columns();
  for (size_t i = 0; i < n; ++i)
    for (int j = 0; j < c; ++j)
      if (const char* what = refuse_value(j, c, rows[i * c + j]))
        throw InputError(source + ": row " + std::to_string(i + 1) + ", column '" + names[j] +
                         "': expected " + what + ", got " + format_number(rows[i * c + j]));
  d.rows_ = rows;
  d.count_ = n;
  return d;
}

Dataset Dataset::from_csv(const std::string& text, const std::string& source, int obs_dim, int action_dim) {
  Dataset shape(obs_dim, action_dim);
  const int c = shape.cols();
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line.empty()) throw InputError(source + ": empty file (expected a header row)");
  std::vector<double> rows;
  size_t n = 0, line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();  // a CRLF file
    if (line.empty()) continue;
    const std::vector<std::string> fields = split_csv_line(line);
    if (static_cast<int>(fields.size()) != c)
      throw InputError(source + ":" + std::to_string(line_no) + ": expected " + std::to_string(c) + " columns, got " +
                       std::to_string(fields.size()));
    for (int j = 0; j < c; ++j) {
      const std::optional<double> v = parse_finite(fields[j]);
      const char* what = v ? refuse_value(j, c, *v) : "a finite number";
      if (what)
        throw InputError(source + ":" + std::to_string(line_no) + ": column '" +
                         shape.columns()[j] + "': expected " + what + ", got '" +
                         fields[j].substr(0, 40) + "'");
      rows.push_back(*v);
    }
    ++n;
  }
  return from_rows(rows, n, obs_dim, action_dim, source);
}

Dataset Dataset::from_npy(const std::string& bytes, const std::string& source, int obs_dim, int action_dim) {
  NpyArray a = npy_decode(bytes, source);
  Dataset shape(obs_dim, action_dim);
  // An empty array of the wrong width is as wrong as a full one (a (0, 5) file for 10 columns).
  if (static_cast<int>(a.cols) != shape.cols())
    throw InputError(source + ": expected " + std::to_string(shape.cols()) + " columns, got " + std::to_string(a.cols));
  return from_rows(a.data, a.rows, obs_dim, action_dim, source);
}

}  // namespace dynalab
