# syntax=docker/dockerfile:1.7
# A CI toolbox image: one stage per tool, gathered into a final image.
ARG GO_VERSION=1.22
ARG ALPINE_VERSION=3.20

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine${ALPINE_VERSION} AS gobase
RUN apk add --no-cache git make
ENV CGO_ENABLED=0
ARG TARGETOS TARGETARCH
ENV GOOS=$TARGETOS GOARCH=$TARGETARCH

FROM gobase AS shellcheck
ARG SHELLCHECK_VERSION=v1.0.0
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/shellcheck@${SHELLCHECK_VERSION}

FROM gobase AS shfmt
ARG SHFMT_VERSION=v2.1.3
ADD https://example.invalid/shfmt/releases/download/${SHFMT_VERSION}/shfmt-linux-${TARGETARCH}.tar.gz /tmp/shfmt.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/shfmt.tar.gz -C /out shfmt && rm /tmp/shfmt.tar.gz

FROM gobase AS hadolint
ARG HADOLINT_VERSION=v3.2.6
RUN <<EOF
set -eu
git clone --depth 1 --branch "${HADOLINT_VERSION}" https://example.invalid/hadolint.git /src/hadolint
cd /src/hadolint && make build && install -D bin/hadolint /out/hadolint
EOF

FROM gobase AS jq
ARG JQ_VERSION=v4.3.9
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/jq@${JQ_VERSION}

FROM gobase AS yq
ARG YQ_VERSION=v1.4.2
ADD https://example.invalid/yq/releases/download/${YQ_VERSION}/yq-linux-${TARGETARCH}.tar.gz /tmp/yq.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/yq.tar.gz -C /out yq && rm /tmp/yq.tar.gz

FROM gobase AS gh
ARG GH_VERSION=v2.5.5
RUN <<EOF
set -eu
git clone --depth 1 --branch "${GH_VERSION}" https://example.invalid/gh.git /src/gh
cd /src/gh && make build && install -D bin/gh /out/gh
EOF

FROM gobase AS kubectl
ARG KUBECTL_VERSION=v3.6.8
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/kubectl@${KUBECTL_VERSION}

FROM gobase AS helm
ARG HELM_VERSION=v4.7.1
ADD https://example.invalid/helm/releases/download/${HELM_VERSION}/helm-linux-${TARGETARCH}.tar.gz /tmp/helm.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/helm.tar.gz -C /out helm && rm /tmp/helm.tar.gz

FROM gobase AS kustomize
ARG KUSTOMIZE_VERSION=v1.8.4
RUN <<EOF
set -eu
git clone --depth 1 --branch "${KUSTOMIZE_VERSION}" https://example.invalid/kustomize.git /src/kustomize
cd /src/kustomize && make build && install -D bin/kustomize /out/kustomize
EOF

FROM gobase AS terraform
ARG TERRAFORM_VERSION=v2.9.7
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/terraform@${TERRAFORM_VERSION}

FROM gobase AS tflint
ARG TFLINT_VERSION=v3.10.0
ADD https://example.invalid/tflint/releases/download/${TFLINT_VERSION}/tflint-linux-${TARGETARCH}.tar.gz /tmp/tflint.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/tflint.tar.gz -C /out tflint && rm /tmp/tflint.tar.gz

FROM gobase AS packer
ARG PACKER_VERSION=v4.11.3
RUN <<EOF
set -eu
git clone --depth 1 --branch "${PACKER_VERSION}" https://example.invalid/packer.git /src/packer
cd /src/packer && make build && install -D bin/packer /out/packer
EOF

FROM gobase AS vault
ARG VAULT_VERSION=v1.12.6
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/vault@${VAULT_VERSION}

FROM gobase AS consul
ARG CONSUL_VERSION=v2.13.9
ADD https://example.invalid/consul/releases/download/${CONSUL_VERSION}/consul-linux-${TARGETARCH}.tar.gz /tmp/consul.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/consul.tar.gz -C /out consul && rm /tmp/consul.tar.gz

FROM gobase AS nomad
ARG NOMAD_VERSION=v3.14.2
RUN <<EOF
set -eu
git clone --depth 1 --branch "${NOMAD_VERSION}" https://example.invalid/nomad.git /src/nomad
cd /src/nomad && make build && install -D bin/nomad /out/nomad
EOF

FROM gobase AS golangci-lint
ARG GOLANGCI_LINT_VERSION=v4.15.5
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/golangci-lint@${GOLANGCI_LINT_VERSION}

FROM gobase AS gotestsum
ARG GOTESTSUM_VERSION=v1.16.8
ADD https://example.invalid/gotestsum/releases/download/${GOTESTSUM_VERSION}/gotestsum-linux-${TARGETARCH}.tar.gz /tmp/gotestsum.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/gotestsum.tar.gz -C /out gotestsum && rm /tmp/gotestsum.tar.gz

FROM gobase AS goreleaser
ARG GORELEASER_VERSION=v2.17.1
RUN <<EOF
set -eu
git clone --depth 1 --branch "${GORELEASER_VERSION}" https://example.invalid/goreleaser.git /src/goreleaser
cd /src/goreleaser && make build && install -D bin/goreleaser /out/goreleaser
EOF

FROM gobase AS delve
ARG DELVE_VERSION=v3.18.4
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/delve@${DELVE_VERSION}

FROM gobase AS buf
ARG BUF_VERSION=v4.19.7
ADD https://example.invalid/buf/releases/download/${BUF_VERSION}/buf-linux-${TARGETARCH}.tar.gz /tmp/buf.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/buf.tar.gz -C /out buf && rm /tmp/buf.tar.gz

FROM gobase AS protoc
ARG PROTOC_VERSION=v1.20.0
RUN <<EOF
set -eu
git clone --depth 1 --branch "${PROTOC_VERSION}" https://example.invalid/protoc.git /src/protoc
cd /src/protoc && make build && install -D bin/protoc /out/protoc
EOF

FROM gobase AS grpcurl
ARG GRPCURL_VERSION=v2.21.3
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/grpcurl@${GRPCURL_VERSION}

FROM gobase AS ko
ARG KO_VERSION=v3.22.6
ADD https://example.invalid/ko/releases/download/${KO_VERSION}/ko-linux-${TARGETARCH}.tar.gz /tmp/ko.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/ko.tar.gz -C /out ko && rm /tmp/ko.tar.gz

FROM gobase AS crane
ARG CRANE_VERSION=v4.23.9
RUN <<EOF
set -eu
git clone --depth 1 --branch "${CRANE_VERSION}" https://example.invalid/crane.git /src/crane
cd /src/crane && make build && install -D bin/crane /out/crane
EOF

FROM gobase AS cosign
ARG COSIGN_VERSION=v1.24.2
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/cosign@${COSIGN_VERSION}

FROM gobase AS syft
ARG SYFT_VERSION=v2.25.5
ADD https://example.invalid/syft/releases/download/${SYFT_VERSION}/syft-linux-${TARGETARCH}.tar.gz /tmp/syft.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/syft.tar.gz -C /out syft && rm /tmp/syft.tar.gz

FROM gobase AS grype
ARG GRYPE_VERSION=v3.26.8
RUN <<EOF
set -eu
git clone --depth 1 --branch "${GRYPE_VERSION}" https://example.invalid/grype.git /src/grype
cd /src/grype && make build && install -D bin/grype /out/grype
EOF

FROM gobase AS trivy
ARG TRIVY_VERSION=v4.27.1
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/trivy@${TRIVY_VERSION}

FROM gobase AS skopeo
ARG SKOPEO_VERSION=v1.28.4
ADD https://example.invalid/skopeo/releases/download/${SKOPEO_VERSION}/skopeo-linux-${TARGETARCH}.tar.gz /tmp/skopeo.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/skopeo.tar.gz -C /out skopeo && rm /tmp/skopeo.tar.gz

FROM gobase AS regctl
ARG REGCTL_VERSION=v2.29.7
RUN <<EOF
set -eu
git clone --depth 1 --branch "${REGCTL_VERSION}" https://example.invalid/regctl.git /src/regctl
cd /src/regctl && make build && install -D bin/regctl /out/regctl
EOF

FROM gobase AS k9s
ARG K9S_VERSION=v3.30.0
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/k9s@${K9S_VERSION}

FROM gobase AS stern
ARG STERN_VERSION=v4.31.3
ADD https://example.invalid/stern/releases/download/${STERN_VERSION}/stern-linux-${TARGETARCH}.tar.gz /tmp/stern.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/stern.tar.gz -C /out stern && rm /tmp/stern.tar.gz

FROM gobase AS kind
ARG KIND_VERSION=v1.32.6
RUN <<EOF
set -eu
git clone --depth 1 --branch "${KIND_VERSION}" https://example.invalid/kind.git /src/kind
cd /src/kind && make build && install -D bin/kind /out/kind
EOF

FROM gobase AS minikube
ARG MINIKUBE_VERSION=v2.33.9
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/minikube@${MINIKUBE_VERSION}

FROM gobase AS argocd
ARG ARGOCD_VERSION=v3.34.2
ADD https://example.invalid/argocd/releases/download/${ARGOCD_VERSION}/argocd-linux-${TARGETARCH}.tar.gz /tmp/argocd.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/argocd.tar.gz -C /out argocd && rm /tmp/argocd.tar.gz

FROM gobase AS flux
ARG FLUX_VERSION=v4.35.5
RUN <<EOF
set -eu
git clone --depth 1 --branch "${FLUX_VERSION}" https://example.invalid/flux.git /src/flux
cd /src/flux && make build && install -D bin/flux /out/flux
EOF

FROM gobase AS istioctl
ARG ISTIOCTL_VERSION=v1.36.8
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/istioctl@${ISTIOCTL_VERSION}

FROM gobase AS linkerd
ARG LINKERD_VERSION=v2.37.1
ADD https://example.invalid/linkerd/releases/download/${LINKERD_VERSION}/linkerd-linux-${TARGETARCH}.tar.gz /tmp/linkerd.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/linkerd.tar.gz -C /out linkerd && rm /tmp/linkerd.tar.gz

FROM gobase AS velero
ARG VELERO_VERSION=v3.38.4
RUN <<EOF
set -eu
git clone --depth 1 --branch "${VELERO_VERSION}" https://example.invalid/velero.git /src/velero
cd /src/velero && make build && install -D bin/velero /out/velero
EOF

FROM gobase AS sops
ARG SOPS_VERSION=v4.39.7
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/sops@${SOPS_VERSION}

FROM gobase AS age
ARG AGE_VERSION=v1.40.0
ADD https://example.invalid/age/releases/download/${AGE_VERSION}/age-linux-${TARGETARCH}.tar.gz /tmp/age.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/age.tar.gz -C /out age && rm /tmp/age.tar.gz

FROM gobase AS direnv
ARG DIRENV_VERSION=v2.41.3
RUN <<EOF
set -eu
git clone --depth 1 --branch "${DIRENV_VERSION}" https://example.invalid/direnv.git /src/direnv
cd /src/direnv && make build && install -D bin/direnv /out/direnv
EOF

FROM gobase AS just
ARG JUST_VERSION=v3.42.6
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/just@${JUST_VERSION}

FROM gobase AS task
ARG TASK_VERSION=v4.43.9
ADD https://example.invalid/task/releases/download/${TASK_VERSION}/task-linux-${TARGETARCH}.tar.gz /tmp/task.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/task.tar.gz -C /out task && rm /tmp/task.tar.gz

FROM gobase AS ripgrep
ARG RIPGREP_VERSION=v1.44.2
RUN <<EOF
set -eu
git clone --depth 1 --branch "${RIPGREP_VERSION}" https://example.invalid/ripgrep.git /src/ripgrep
cd /src/ripgrep && make build && install -D bin/ripgrep /out/ripgrep
EOF

FROM gobase AS fd
ARG FD_VERSION=v2.45.5
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/fd@${FD_VERSION}

FROM gobase AS bat
ARG BAT_VERSION=v3.46.8
ADD https://example.invalid/bat/releases/download/${BAT_VERSION}/bat-linux-${TARGETARCH}.tar.gz /tmp/bat.tar.gz
RUN mkdir -p /out && tar -xzf /tmp/bat.tar.gz -C /out bat && rm /tmp/bat.tar.gz

FROM gobase AS delta
ARG DELTA_VERSION=v4.47.1
RUN <<EOF
set -eu
git clone --depth 1 --branch "${DELTA_VERSION}" https://example.invalid/delta.git /src/delta
cd /src/delta && make build && install -D bin/delta /out/delta
EOF

FROM gobase AS hyperfine
ARG HYPERFINE_VERSION=v1.48.4
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOBIN=/out go install example.com/tools/hyperfine@${HYPERFINE_VERSION}

FROM alpine:${ALPINE_VERSION} AS toolbox
RUN apk add --no-cache bash ca-certificates curl git openssh-client
COPY --link --from=shellcheck /out/ /usr/local/bin/
COPY --link --from=shfmt /out/ /usr/local/bin/
COPY --link --from=hadolint /out/ /usr/local/bin/
COPY --link --from=jq /out/ /usr/local/bin/
COPY --link --from=yq /out/ /usr/local/bin/
COPY --link --from=gh /out/ /usr/local/bin/
COPY --link --from=kubectl /out/ /usr/local/bin/
COPY --link --from=helm /out/ /usr/local/bin/
COPY --link --from=kustomize /out/ /usr/local/bin/
COPY --link --from=terraform /out/ /usr/local/bin/
COPY --link --from=tflint /out/ /usr/local/bin/
COPY --link --from=packer /out/ /usr/local/bin/
COPY --link --from=vault /out/ /usr/local/bin/
COPY --link --from=consul /out/ /usr/local/bin/
COPY --link --from=nomad /out/ /usr/local/bin/
COPY --link --from=golangci-lint /out/ /usr/local/bin/
COPY --link --from=gotestsum /out/ /usr/local/bin/
COPY --link --from=goreleaser /out/ /usr/local/bin/
COPY --link --from=delve /out/ /usr/local/bin/
COPY --link --from=buf /out/ /usr/local/bin/
COPY --link --from=protoc /out/ /usr/local/bin/
COPY --link --from=grpcurl /out/ /usr/local/bin/
COPY --link --from=ko /out/ /usr/local/bin/
COPY --link --from=crane /out/ /usr/local/bin/
COPY --link --from=cosign /out/ /usr/local/bin/
COPY --link --from=syft /out/ /usr/local/bin/
COPY --link --from=grype /out/ /usr/local/bin/
COPY --link --from=trivy /out/ /usr/local/bin/
COPY --link --from=skopeo /out/ /usr/local/bin/
COPY --link --from=regctl /out/ /usr/local/bin/
COPY --link --from=k9s /out/ /usr/local/bin/
COPY --link --from=stern /out/ /usr/local/bin/
COPY --link --from=kind /out/ /usr/local/bin/
COPY --link --from=minikube /out/ /usr/local/bin/
COPY --link --from=argocd /out/ /usr/local/bin/
COPY --link --from=flux /out/ /usr/local/bin/
COPY --link --from=istioctl /out/ /usr/local/bin/
COPY --link --from=linkerd /out/ /usr/local/bin/
COPY --link --from=velero /out/ /usr/local/bin/
COPY --link --from=sops /out/ /usr/local/bin/
COPY --link --from=age /out/ /usr/local/bin/
COPY --link --from=direnv /out/ /usr/local/bin/
COPY --link --from=just /out/ /usr/local/bin/
COPY --link --from=task /out/ /usr/local/bin/
COPY --link --from=ripgrep /out/ /usr/local/bin/
COPY --link --from=fd /out/ /usr/local/bin/
COPY --link --from=bat /out/ /usr/local/bin/
COPY --link --from=delta /out/ /usr/local/bin/
COPY --link --from=hyperfine /out/ /usr/local/bin/
RUN adduser -D -u 1000 ci
USER ci
WORKDIR /home/ci
ENTRYPOINT ["/bin/bash"]

FROM toolbox
