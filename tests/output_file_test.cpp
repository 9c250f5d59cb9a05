// cli/output's output_file: what is written as it is made lands whole at commit(), or not at all.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli/output.hpp"
#include "run_cli.hpp"
#include "temp_folder.hpp"

using namespace svcsim;
using svcsim::testing::slurp;

TEST_CASE("output_file: committed it replaces the file; abandoned it leaves nothing") {
  const svcsim::testing::temp_folder folder("svcsim-output");
  const std::string& dir = folder.path();
  const std::string path = dir + "/t.json";
  std::ostringstream out, err;
  {
    output_file f(path, out);
    f.stream() << "{\"a\":";
    CHECK(!std::ifstream(path));  // nothing in place while it is written
    f.stream() << "1}";
    CHECK(f.commit(err) == 0);
  }
  CHECK(slurp(path) == "{\"a\":1}");
  {
    output_file f(path, out);
    f.stream() << "{\"half";  // a run that stops: no commit
  }
  CHECK(slurp(path) == "{\"a\":1}");
  CHECK(std::system(("test $(ls " + dir + " | wc -l) -eq 1").c_str()) == 0);  // no temporary file
  {
    output_file f("-", out);
    f.stream() << "to stdout";
    CHECK(f.commit(err) == 0);
  }
  CHECK(out.str() == "to stdout");
  CHECK(err.str().empty());
}
