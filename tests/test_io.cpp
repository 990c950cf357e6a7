// core/io: the table written as CSV and the SVG canvas.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "core/io/csv.h"
#include "core/io/table.h"

using namespace dynalab;

TEST_CASE("a table prints integers as integers, doubles in the shortest round-trip form, text quoted when needed") {
  Table t({"kind", "size", "value"});
  t.add_row({"probabilistic", 213, 213.0});
  t.add_row({"a,b", 100000, 0.1});
  t.add_row({"say \"hi\"", size_t(7), -1.5e-7});
  CHECK(t.rows() == 3);
  CHECK(t.to_csv() ==
        "kind,size,value\n"
        "probabilistic,213,213\n"
        "\"a,b\",100000,0.1\n"
        "\"say \"\"hi\"\"\",7,-1.5e-07\n");
  CHECK(Cell(213.0).text() == "213");
  CHECK(Cell(-0.0).text() == "-0");
  CHECK(Cell(1.0 / 3).text() == format_number(1.0 / 3));
}

TEST_CASE("a table takes a row of numbers and rejects a row of the wrong width") {
  Table t({"x", "y"});
  const std::vector<double> row{1, 2.5};
  t.add_row(row);
  t.add_row(std::vector<Cell>{3, 4.25});
  CHECK(t.to_csv() == "x,y\n1,2.5\n3,4.25\n");
  CHECK_THROWS_AS(t.add_row({1.0}), std::invalid_argument);
  CHECK_THROWS_AS(t.add_row(std::vector<double>{1, 2, 3}), std::invalid_argument);
  CHECK(t.rows() == 2);
}

TEST_CASE("a table writes its CSV to a file") {
  const auto dir = std::filesystem::temp_directory_path() / "dynalab_test_io_table";
  std::filesystem::remove_all(dir);
  Table t({"a"});
  t.add_row({1});
  t.write_csv(dir / "sub" / "t.csv");
  std::ifstream in(dir / "sub" / "t.csv", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(ss.str() == "a\n1\n");
  std::filesystem::remove_all(dir);
}
