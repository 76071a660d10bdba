name    = "contoso"          # identity of this topology; used in ownership markers
product = "sfb2015"          # lync2010 | lync2013 | sfb2015 | sfb2019: selects limits

provider "rfc2136" "corp" {
  server         = "127.0.0.1:5353"
  tsig_key       = "topo-key."
  tsig_algorithm = "hmac-sha256"
  tsig_secret    = env("TOPO_TSIG_SECRET")   # secrets only ever through env()
}

provider "cloudflare" "public" {
  api_token = env("CLOUDFLARE_API_TOKEN")
}

zone "contoso.com" {          # one block per zone and view
  view      = "internal"      # internal | external | both (default both)
  provider  = "rfc2136.corp"  # omitted: the embedded zonefile provider
  ttl       = 300
  ownership = "shared"        # shared (default: only records topo marked as its own) | exclusive
}

zone "contoso.com" {
  view     = "external"
  provider = "cloudflare.public"
}

site "redmond" {
  pool "pool01" {
    role           = "frontend"   # frontend | director | edge | mediation
    fqdn           = "pool01.contoso.com"
    load_balancing = "dns"        # dns | hardware

    web_services {
      internal_fqdn = "webint.contoso.com"   # the override: required with DNS LB, != pool fqdn
      internal_vip  = "10.0.1.100"           # internal HLB VIP for HTTP
      external_fqdn = "webext.contoso.com"
      external_proxy_ip = "203.0.113.10"     # the reverse proxy's public address
    }

    server "fe01" {
      fqdn  = "fe01.contoso.com"
      ip    = "10.0.1.11"
      state = "active"            # active | draining | offline
    }
  }
}
