# Sourced by the HTTP benchmarks (bench/api_bench.sh, bench/counter_bench.sh): a throw-away CA and certificates
# for mutual TLS on loopback.
#   make_certs DIR NAME...   writes DIR/ca.pem (+ key) and, for each NAME, DIR/NAME.pem and DIR/NAME.key with
#                            CN=NAME and subjectAltName IP:127.0.0.1 (elliptic curve P-256, valid 2 days).
# The server's certificate is one of the names (e.g. `server`); the config refers to them relative to DIR.
ssl() { openssl "$@" >/dev/null 2>&1; }
make_certs() {
  local dir=$1 name
  shift
  ssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=ca \
    -keyout "$dir/ca.key" -out "$dir/ca.pem"
  for name in "$@"; do
    ssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/$name.key" -out "$dir/$name.csr" \
      -subj "/CN=$name"
    echo "subjectAltName=IP:127.0.0.1" >"$dir/$name.ext"
    ssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
      -out "$dir/$name.pem" -extfile "$dir/$name.ext"
  done
}
