// svcsim: parse the command line, load the scenario, simulate, report (src/cli/commands.cpp).
#include "cli/commands.hpp"

#include <iostream>

int main(int argc, char** argv) { return svcsim::run_cli(argc, argv, std::cout, std::cerr); }
