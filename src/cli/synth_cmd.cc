// `dfdg synth --persons N --years Y --seed S --out DIR [--end YYYY-MM-DD] [--commands FILE]`: synthetic measurement
// inputs for the municipalities of the catalogue (src/synth). Exit codes: 1 bad usage, 3 broken catalogue, 4 cannot
// write.
#include <iostream>

#include "cli/cli.h"
#include "synth/synth.h"

namespace dfdg::cli {

void AddSynthCommand(CLI::App& app, Context& context) {
  struct Options {
    size_t persons = 1000;
    int years = 6;
    uint64_t seed = 1;
    std::string out;
    std::string end = "2025-12-31";
    std::string commands;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("synth", "Syntetiske inddata til målingen (seed 004)");
  cmd->add_option("--persons", o->persons, "Antal personer");
  cmd->add_option("--years", o->years, "År med historik")->check(CLI::Range(1, 30));
  cmd->add_option("--seed", o->seed, "Frø (samme frø = samme filer)");
  cmd->add_option("--out", o->out, "Uddatamappe")->required();
  cmd->add_option("--end", o->end, "Sidste dag i historikken (ÅÅÅÅ-MM-DD)");
  cmd->add_option("--commands", o->commands,
                  "Skriv også registerdelen (bopæl, kontaktgrupper, fravær, samtaler) som registerkommandoer (JSON "
                  "Lines) til denne fil, til `dfdg apply` og `dfdg measure --db`");
  cmd->callback([&context, o]() {
    auto end = ParseDate(o->end);
    if (!end.ok()) {
      std::cerr << "dfdg: --end: " << end.status().message() << "\n";
      context.exit_code = 1;
      return;
    }
    auto catalog = context.LoadCatalog();
    if (!catalog) return;
    synth::SynthOptions options{o->persons, o->years, o->seed, *end, o->commands};
    auto stats = synth::WriteSynthetic(o->out, options, catalog->model().municipalities);
    if (!stats.ok()) {
      std::cerr << "dfdg: " << stats.status().message() << "\n";
      context.exit_code = stats.status().code() == Status::Code::kIOError ? 4 : 1;
      return;
    }
    std::cerr << "dfdg synth: " << stats->persons << " personer, " << stats->rows << " rækker i " << o->out << "\n";
    if (!o->commands.empty()) {
      std::cerr << "dfdg synth: " << stats->commands << " registerkommandoer i " << o->commands << "\n";
    }
  });
}

}  // namespace dfdg::cli
