// core/io: the table written as CSV and the SVG canvas.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "core/io/csv.h"
#include "core/io/svg_canvas.h"
#include "core/io/table.h"

namespace test_io {

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
  CHECK(TableCell(213.0).text() == "213");
  CHECK(TableCell(-0.0).text() == "-0");
  CHECK(TableCell(1.0 / 3).text() == format_number(1.0 / 3));
}

TEST_CASE("a table takes a row of numbers and rejects a row of the wrong width") {
  Table t({"x", "y"});
  const std::vector<double> row{1, 2.5};
  t.add_row(row);
  t.add_row(std::vector<TableCell>{3, 4.25});
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

namespace {
bool has(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }
}  // namespace

TEST_CASE("the SVG canvas maps world units (y up) to pixels and writes every primitive") {
  // A 4 x 2 world on 420 x 220 pixels with a 10 px margin: 100 px per unit, (0, 0) at (10, 210).
  SvgCanvas c(Bounds{{0, 0}, {4, 2}}, 420, 220, 10, 13, palette::none);
  CHECK(c.scale() == 100);
  CHECK(c.to_px({0, 0}).x == 10);
  CHECK(c.to_px({0, 0}).y == 210);
  CHECK(c.to_px({4, 2}).x == 410);
  CHECK(c.to_px({4, 2}).y == 10);

  const Color black{0, 0, 0, 1}, blue{0, 0, 1, 1};
  c.rect({1, 0}, {2, 1}, Color{1, 0, 0, 0.5f}, palette::none);
  c.circle({2, 1}, 0.25, blue, black);
  c.segment({0, 0}, {4, 2}, Color{0, 1, 0, 0.25f}, 2);
  const std::vector<Vec2> line{{0, 0}, {1, 1}, {2, 0.5}};
  c.polyline(line, blue, 1.5f);
  const std::vector<Vec2> tri{{0, 0}, {1, 0}, {0.5, 1.005}};
  c.polygon(tri, Color{1, 1, 0, 1}, black);
  c.text({2, 1}, "a<b", black);
  c.arrow({0, 1}, {2, 1}, black);
  c.rect({0, 0}, {1, 1}, palette::none, palette::none);  // nothing to draw: left out

  const std::string svg = c.svg();
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"420\" height=\"220\" "
                  "viewBox=\"0 0 420 220\">\n", 0) == 0);
  CHECK(svg.size() > 7);
  CHECK(svg.substr(svg.size() - 7) == "</svg>\n");
  CHECK(has(svg, "<rect x=\"110\" y=\"110\" width=\"100\" height=\"100\" fill=\"#ff0000\" "
                 "fill-opacity=\"0.5\"/>\n"));
  CHECK(has(svg, "<circle cx=\"210\" cy=\"110\" r=\"25\" fill=\"#0000ff\" stroke=\"#000000\" "
                 "stroke-width=\"1.5\"/>\n"));
  CHECK(has(svg, "<line x1=\"10\" y1=\"210\" x2=\"410\" y2=\"10\" stroke=\"#00ff00\" "
                 "stroke-width=\"2\" stroke-opacity=\"0.25\" stroke-linecap=\"round\"/>\n"));
  CHECK(has(svg, "<polyline points=\"10,210 110,110 210,160\" fill=\"none\" stroke=\"#0000ff\""));
  CHECK(has(svg, "<polygon points=\"10,210 110,210 60,109.5\" fill=\"#ffff00\" stroke=\"#000000\""));
  CHECK(has(svg, "text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"#000000\">a&lt;b</text>"));
  CHECK(has(svg, "<text x=\"210\" y=\"110\" font-size=\"32.5\""));  // 0.45 * scale, at most 2.5 x 13
  // The arrow: its line stops at the head's base, the head is a triangle with its tip at `to`.
  CHECK(has(svg, "<line x1=\"10\" y1=\"110\" x2=\"200\" y2=\"110\" stroke=\"#000000\" "
                 "stroke-width=\"1.5\"/><polygon points=\"210,110 200,116 200,104\" fill=\"#000000\"/>"));
  CHECK(!has(svg, "<rect x=\"10\""));
  CHECK(!has(svg, "\"nan"));
  CHECK(!has(svg, "\"-0\""));
}

TEST_CASE("the SVG canvas centres a world of another aspect ratio and paints the background") {
  SvgCanvas c(Bounds{{-1, -1}, {1, 1}}, 300, 200, 0);  // square world on a wide image: 100 px per unit
  CHECK(c.scale() == 100);
  CHECK(c.to_px({0, 0}).x == 150);
  CHECK(c.to_px({0, 0}).y == 100);
  CHECK(has(c.svg(), "<rect width=\"300\" height=\"200\" fill=\"#ffffff\"/>\n"));
}

}  // namespace test_io
