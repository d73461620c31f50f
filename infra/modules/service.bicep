// One GraphExec service as a container app: its image from the registry (pulled with the managed identity), its
// secrets as Key Vault references, health probes on /alive and /health, and its scale rules.
param name string
param location string
param tags object
param environmentId string
param identityId string
param registryLoginServer string

@description('Networks whose X-Forwarded-For the service trusts (ForwardedHeaders:KnownNetworks).')
param trustedProxyNetworks array

@description('True once azd has deployed an image: provisioning again keeps that image instead of the placeholder.')
param exists bool

@allowed(['external', 'internal'])
@description('external: reachable from the internet over HTTPS; internal: from the environment only.')
param ingress string

@description('Key Vault references: { name, url } each, read with the managed identity.')
param secrets array

@description('Environment variables: { name, value } or { name, secretRef }; never a secret as a value.')
param env array

param minReplicas int
param maxReplicas int
param scaleRules array
param cpu string
param memory string

// What the .NET SDK's container images listen on.
var httpPort = 8080

// Prometheus metrics (Metrics__Port). The port is mapped for the environment only (external: false), so a scraper in
// the environment reaches it and the internet never does: it names routes, users' load and queue depths.
var metricsPort = 9464

// Before azd's first deploy the app runs a placeholder image; afterwards provisioning keeps the image azd deployed.
resource deployed 'Microsoft.App/containerApps@2025-01-01' existing = if (exists) {
  name: name
}

// What every service gets besides its own settings: the metrics port, telemetry as the AppHost sets it (metrics every
// 5 s), and the proxies it trusts.
var commonEnv = concat(
  [
    { name: 'Metrics__Port', value: string(metricsPort) }
    { name: 'OTEL_SERVICE_NAME', value: name }
    { name: 'OTEL_METRIC_EXPORT_INTERVAL', value: '5000' }
  ],
  map(range(0, length(trustedProxyNetworks)), i => { name: 'ForwardedHeaders__KnownNetworks__${i}', value: trustedProxyNetworks[i] })
)

// A public image that listens on 8080 as the services do. It has no /alive or /health, so until azd has deployed the
// service's image the app keeps Container Apps' default probes (TCP on the target port); the next provision (the next
// `azd up` or `azd provision`) sets these.
var placeholderImage = 'mcr.microsoft.com/dotnet/samples:aspnetapp'

var probes = [
  {
    type: 'Startup'
    httpGet: { path: '/alive', port: httpPort }
    periodSeconds: 5
    failureThreshold: 24
  }
  {
    type: 'Liveness'
    httpGet: { path: '/alive', port: httpPort }
    periodSeconds: 10
    failureThreshold: 3
  }
  {
    // /health answers 503 while a dependency this service uses does not answer: no traffic until it does.
    type: 'Readiness'
    httpGet: { path: '/health', port: httpPort }
    periodSeconds: 10
    failureThreshold: 3
  }
]

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': name })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: ingress == 'external'
        targetPort: httpPort
        // HTTP/1.1 and HTTP/2 as the client asks; WebSocket upgrades pass through (Live's hub).
        transport: 'auto'
        allowInsecure: false
        additionalPortMappings: [
          {
            external: false
            targetPort: metricsPort
          }
        ]
      }
      registries: [
        {
          server: registryLoginServer
          identity: identityId
        }
      ]
      secrets: [for secret in secrets: {
        name: secret.name
        keyVaultUrl: secret.url
        identity: identityId
      }]
    }
    template: {
      containers: [
        {
          name: name
          image: exists ? deployed!.properties.template.containers[0].image : placeholderImage
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: concat(env, commonEnv)
          probes: exists ? probes : []
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: scaleRules
      }
    }
  }
}

output name string = app.name
output fqdn string = app.properties.configuration.ingress.fqdn
