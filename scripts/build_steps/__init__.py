"""Steps of the data build; each turns downloaded registry packages into files in data/."""
