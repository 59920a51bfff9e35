#!/bin/sh
# Installs and configures nginx on a fresh Debian host.
apt-get update
apt-get install -y nginx
cp ./site.conf /etc/nginx/sites-available/app.conf
ln -sf /etc/nginx/sites-available/app.conf /etc/nginx/sites-enabled/app.conf
nginx -t && systemctl reload nginx
echo "see https://docs.example.org/nginx for details"
