// The CSV writer's cells: RFC 4180 quoting and numbers that read back exactly.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>

#include "report/csv_report.hpp"

using namespace svcsim;

TEST_CASE("csv: fields are quoted as RFC 4180 says, only when they must be") {
  CHECK(csv_field("signup") == "signup");
  CHECK(csv_field("") == "");
  CHECK(csv_field("ok, effects pending") == "\"ok, effects pending\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("cr\r") == "\"cr\r\"");
}

TEST_CASE("csv: numbers are the shortest text that reads back to the same double") {
  CHECK(csv_number(std::nan("")) == "");
  CHECK(csv_number(10992) == "10992");
  CHECK(csv_number(0) == "0");
  CHECK(csv_number(0.1) == "0.1");
  CHECK(csv_number(-2.5) == "-2.5");
  for (double x : {1.0 / 3, 199.83636363636364, 1e-300, 6.02214076e23, 0.0008396305625524769})
    CHECK(std::strtod(csv_number(x).c_str(), nullptr) == x);
}
