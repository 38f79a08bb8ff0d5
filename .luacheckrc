std = "lua54"
max_line_length = 110
files["spec/"] = { std = "+busted" }
exclude_files = { ".rocks/", "build/", "build-asan/" }
-- Scripts for `dossier run DB SCRIPT.lua` get `dossier` and `db` as globals.
files["examples/"] = { read_globals = { "dossier", "db" } }
