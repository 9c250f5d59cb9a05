// svcsim: parse the command line, load the scenario, simulate, report (src/cli/commands.cpp).
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) { return svcsim::run_cli(argc, argv, std::cout, std::cerr); }
