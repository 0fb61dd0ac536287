521 SHA256:lOffuqSflkkOTWg9SnwqzyztueunkF49P+RnPMTjopc keel test ecdsa521 (ECDSA)
