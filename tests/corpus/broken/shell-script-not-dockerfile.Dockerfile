#!/bin/sh
set -e
docker build -t app .
docker run --rm app
