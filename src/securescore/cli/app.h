// The securescore command line: one subcommand per file (assess.cpp, catalog.cpp, …), wired
// together by Run(). Exit codes: 0 success, 2 bad input, 3 below --min-score.
#pragma once

namespace securescore::cli {

int Run(int argc, char** argv);

}  // namespace securescore::cli
