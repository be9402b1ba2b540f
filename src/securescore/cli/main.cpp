// securescore: wires the subcommands together; all behaviour lives in the cli library.
#include "securescore/cli/app.h"

int main(int argc, char** argv) { return securescore::cli::Run(argc, argv); }
