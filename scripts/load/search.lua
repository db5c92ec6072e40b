-- wrk script: rotates French queries (accents, plurals, typos, filters) over one path.
-- KB_LOAD_PATH is the path prefix the query is appended to.
local queries = {
  "tranquillite", "tranquillit%C3%A9%20r%C3%A9sidentielle", "mediation", "expulsions", "jeunes",
  "sante%20mentale", "insertion&theme=insertion-et-emploi", "gardien", "locataires",
  "acompagnement", "%22lien%20social%22", "dette%20locative", "quartier&city=paris",
  "emploi", "personnes%20agees", "",
}
local prefix = os.getenv("KB_LOAD_PATH") or "/recherche?q="
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("GET", prefix .. queries[(counter % #queries) + 1])
end

done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format(
    "RESULT requests=%d errors=%d rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f\n",
    summary.requests, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
