"""The functional core: pure, typed functions with no faust, Kafka or Prometheus imports."""
