// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Anchors Merkle roots of the SSID audit ledger: hashes only, never personal data.
contract ProofRegistry {
    event RootAnchored(bytes32 indexed root, uint64 indexed batch, uint256 timestamp);

    address public immutable anchorer;
    mapping(uint64 => bytes32) public roots;

    constructor(address anchorer_) {
        anchorer = anchorer_;
    }

    function anchor(uint64 batch, bytes32 root) external {
        require(msg.sender == anchorer, "not the anchorer");
        require(roots[batch] == bytes32(0), "batch already anchored");
        roots[batch] = root;
        emit RootAnchored(root, batch, block.timestamp);
    }
}
